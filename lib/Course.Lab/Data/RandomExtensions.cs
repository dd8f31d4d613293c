namespace Course.Lab;

/// <summary>Gaussian draws from a seeded <see cref="Random"/>.</summary>
public static class RandomExtensions
{
    /// <summary>A standard normal draw (Box-Muller; one value per call keeps the stream simple to reason about).</summary>
    public static double NextGaussian(this Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(); // (0,1]: log is finite
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
