namespace Course.Torch.Bench;

/// <summary>Seeded inputs for the kernel rows (values do not affect timing; seeds keep runs identical).</summary>
public static class BenchData
{
    public static float[] Normal(Random rng, int count)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++)
        {
            // Box-Muller: two uniforms -> one standard normal.
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            v[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return v;
    }
}
