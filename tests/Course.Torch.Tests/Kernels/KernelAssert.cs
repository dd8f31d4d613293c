namespace Course.Torch.Tests.Kernels;

/// <summary>Comparisons with a float32-summation-order tolerance: |got - want| &lt;= rel * sum|terms| + tiny.</summary>
internal static class KernelAssert
{
    public static void Close(ReadOnlySpan<float> want, ReadOnlySpan<float> got, ReadOnlySpan<double> magnitude,
        string what, double rel = 1e-4)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
        {
            double tol = rel * magnitude[i] + 1e-6;
            if (!(Math.Abs(want[i] - got[i]) <= tol))
                Assert.Fail($"{what}: element {i}: expected {want[i]}, got {got[i]} (tolerance {tol:g3})");
        }
    }

    public static float[] Random(int seed, int count, float scale = 1f)
    {
        var rng = new Random(seed);
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return v;
    }
}
