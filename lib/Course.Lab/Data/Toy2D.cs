namespace Course.Lab;

/// <summary>
/// Seeded 2-D toy datasets as <c>[N,2]</c>, with labels where they mean something (moon, mode, component).
/// </summary>
public static class Toy2D
{
    /// <summary>Points on a circle of <paramref name="radius"/> with Gaussian noise on both coordinates.</summary>
    public static Dataset Ring(int n = 1000, double radius = 1.0, double noise = 0.05, int seed = 0)
    {
        var rng = new Random(seed);
        var data = new float[2 * n];
        for (int i = 0; i < n; i++)
        {
            double t = 2 * Math.PI * rng.NextDouble();
            data[2 * i] = (float)(radius * Math.Cos(t) + noise * rng.NextGaussian());
            data[2 * i + 1] = (float)(radius * Math.Sin(t) + noise * rng.NextGaussian());
        }
        return new Dataset("ring", data, [2]);
    }

    /// <summary>Two interleaving half circles (scikit-learn's make_moons); label 0 upper, 1 lower.</summary>
    public static Dataset TwoMoons(int n = 1000, double noise = 0.1, int seed = 0)
    {
        var rng = new Random(seed);
        var data = new float[2 * n];
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            int moon = i < (n + 1) / 2 ? 0 : 1;
            double t = Math.PI * rng.NextDouble();
            double x = moon == 0 ? Math.Cos(t) : 1 - Math.Cos(t);
            double y = moon == 0 ? Math.Sin(t) : 0.5 - Math.Sin(t);
            data[2 * i] = (float)(x + noise * rng.NextGaussian());
            data[2 * i + 1] = (float)(y + noise * rng.NextGaussian());
            labels[i] = moon;
        }
        return new Dataset("two-moons", data, [2], labels);
    }

    /// <summary>A 2-D Swiss roll: t in [1.5π, 4.5π], (t cos t, t sin t)/<paramref name="scale"/> plus noise.</summary>
    public static Dataset SwissRoll(int n = 1000, double noise = 0.05, double scale = 5.0, int seed = 0)
    {
        var rng = new Random(seed);
        var data = new float[2 * n];
        for (int i = 0; i < n; i++)
        {
            double t = 1.5 * Math.PI * (1 + 2 * rng.NextDouble());
            data[2 * i] = (float)(t * Math.Cos(t) / scale + noise * rng.NextGaussian());
            data[2 * i + 1] = (float)(t * Math.Sin(t) / scale + noise * rng.NextGaussian());
        }
        return new Dataset("swiss-roll", data, [2]);
    }

    /// <summary>Eight Gaussians evenly spaced on a circle (the GAN mode-collapse benchmark); label = mode 0..7.</summary>
    public static Dataset EightGaussians(int n = 1000, double radius = 2.0, double std = 0.1, int seed = 0)
    {
        var means = Enumerable.Range(0, 8)
            .Select(k => (radius * Math.Cos(2 * Math.PI * k / 8), radius * Math.Sin(2 * Math.PI * k / 8))).ToArray();
        var ds = GaussianMixture(n, means, std, weights: null, seed);
        return new Dataset("8-gaussians", ds.Data, [2], ds.Labels);
    }

    /// <summary>The centres of <see cref="EightGaussians"/>, for counting covered modes.</summary>
    public static (double X, double Y)[] EightGaussianCenters(double radius = 2.0) =>
        Enumerable.Range(0, 8).Select(k => (radius * Math.Cos(2 * Math.PI * k / 8), radius * Math.Sin(2 * Math.PI * k / 8))).ToArray();

    /// <summary>
    /// Uniform on the dark squares of a 4x4 checkerboard over [-<paramref name="halfWidth"/>, <paramref name="halfWidth"/>]^2;
    /// label = which of the 8 dark squares.
    /// </summary>
    public static Dataset Checkerboard(int n = 1000, double halfWidth = 2.0, int seed = 0)
    {
        var rng = new Random(seed);
        var data = new float[2 * n];
        var labels = new long[n];
        double cell = halfWidth / 2;
        for (int i = 0; i < n; i++)
        {
            int square = rng.Next(8);          // 8 dark squares of 16
            int row = square / 2;
            int col = 2 * (square % 2) + (row % 2);
            data[2 * i] = (float)(-halfWidth + (col + rng.NextDouble()) * cell);
            data[2 * i + 1] = (float)(-halfWidth + (row + rng.NextDouble()) * cell);
            labels[i] = square;
        }
        return new Dataset("checkerboard", data, [2], labels);
    }

    /// <summary>An isotropic Gaussian mixture; label = component. Weights default to equal.</summary>
    public static Dataset GaussianMixture(int n, (double X, double Y)[] means, double std = 0.1, double[]? weights = null, int seed = 0)
    {
        if (means.Length == 0) throw new ArgumentException("GaussianMixture needs at least one mean.", nameof(means));
        weights ??= Enumerable.Repeat(1.0, means.Length).ToArray();
        if (weights.Length != means.Length)
            throw new ArgumentException($"GaussianMixture: {weights.Length} weights for {means.Length} means.", nameof(weights));
        if (weights.Any(w => w < 0) || weights.Sum() <= 0)
            throw new ArgumentException("GaussianMixture: weights must be non-negative with a positive sum.", nameof(weights));
        var cumulative = new double[weights.Length];
        double total = weights.Sum(), acc = 0;
        for (int k = 0; k < weights.Length; k++) cumulative[k] = (acc += weights[k]) / total;

        var rng = new Random(seed);
        var data = new float[2 * n];
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble();
            int k = Array.FindIndex(cumulative, c => u < c);
            if (k < 0) k = means.Length - 1;
            data[2 * i] = (float)(means[k].X + std * rng.NextGaussian());
            data[2 * i + 1] = (float)(means[k].Y + std * rng.NextGaussian());
            labels[i] = k;
        }
        return new Dataset("gaussian-mixture", data, [2], labels);
    }
}
