namespace Course.Lab.Tests;

public class DatasetTests
{
    private static Dataset Small() =>
        new("small", Enumerable.Range(0, 20).Select(i => (float)i).ToArray(), [2], [0, 1, 2, 1, 0, 1, 2, 1, 0, 1]);

    [Fact]
    public void Take_digits_and_subset_copy_the_right_samples()
    {
        var ds = Small();
        var first = ds.Take(3);
        Assert.Equal(3, first.Count);
        Assert.Equal([0f, 1, 2, 3, 4, 5], first.Data);

        var ones = ds.Digits(1);
        Assert.Equal(5, ones.Count);
        Assert.All(ones.Labels!, l => Assert.Equal(1, l));
        Assert.Equal([2f, 3], ones.Sample(0).ToArray());

        var twoAndZero = ds.Digits(2, 0);
        Assert.Equal([0L, 2, 0, 2, 0], twoAndZero.Labels!);
        Assert.Equal(10, ds.Take(100).Count);
    }

    [Fact]
    public void Digits_outside_0_to_9_are_rejected_not_silently_empty()
    {
        var ds = Small();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ds.Digits(12));
        Assert.Contains("Digits(12) has 12, outside 0-9", e.Message);
        Assert.Contains("'small'", e.Message);
        Assert.Contains("has -1", Assert.Throws<ArgumentOutOfRangeException>(() => ds.Digits(3, -1)).Message);
        Assert.Contains("at least one digit", Assert.Throws<ArgumentException>(() => ds.Digits()).Message);
        Assert.Equal(0, ds.Digits(9).Count); // a valid digit that is absent is still an empty set
    }

    [Fact]
    public void Constructor_rejects_inconsistent_sizes()
    {
        Assert.Contains("not a multiple", Assert.Throws<ArgumentException>(() => new Dataset("bad", new float[5], [2])).Message);
        Assert.Contains("3 labels for 2 samples", Assert.Throws<ArgumentException>(() => new Dataset("bad", new float[4], [2], [0, 1, 2])).Message);
    }

    [Fact]
    public void Batch_indices_cover_every_sample_once_and_are_seeded()
    {
        var batches = Dataset.BatchIndices(10, 3, seed: 7).ToList();
        Assert.Equal([3, 3, 3, 1], batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 10), batches.SelectMany(b => b).Order());

        var again = Dataset.BatchIndices(10, 3, seed: 7).SelectMany(b => b);
        Assert.Equal(batches.SelectMany(b => b), again);
        var other = Dataset.BatchIndices(10, 3, seed: 8).SelectMany(b => b);
        Assert.NotEqual(batches.SelectMany(b => b), other);

        Assert.Equal([3, 3, 3], Dataset.BatchIndices(10, 3, dropLast: true).Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 10), Dataset.BatchIndices(10, 4, shuffle: false).SelectMany(b => b));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dataset.BatchIndices(10, 0).ToList());
    }

    [Fact]
    public void Shuffle_is_a_seeded_permutation_keeping_pairs_together()
    {
        var ds = Small();
        var s = ds.Shuffle(3);
        Assert.Equal(ds.Data.Order(), s.Data.Order());
        for (int i = 0; i < s.Count; i++)
        {
            int original = (int)s.Sample(i)[0] / 2;
            Assert.Equal(ds.Labels![original], s.Labels![i]);
        }
        Assert.Equal(s.Data, ds.Shuffle(3).Data);
    }

    [Fact]
    public void Toy_sets_have_the_promised_geometry_and_are_deterministic()
    {
        var ring = Toy2D.Ring(2000, radius: 3, noise: 0.01, seed: 1);
        Assert.Equal([2000L, 2], ring.Shape);
        for (int i = 0; i < ring.Count; i++)
            Assert.InRange(Math.Sqrt(ring.Data[2 * i] * ring.Data[2 * i] + ring.Data[2 * i + 1] * ring.Data[2 * i + 1]), 2.9, 3.1);
        Assert.Equal(ring.Data, Toy2D.Ring(2000, radius: 3, noise: 0.01, seed: 1).Data);
        Assert.NotEqual(ring.Data, Toy2D.Ring(2000, radius: 3, noise: 0.01, seed: 2).Data);

        var eight = Toy2D.EightGaussians(4000, seed: 2);
        var centers = Toy2D.EightGaussianCenters();
        for (int i = 0; i < eight.Count; i++)
        {
            var (cx, cy) = centers[eight.Labels![i]];
            Assert.InRange(Math.Sqrt(Math.Pow(eight.Data[2 * i] - cx, 2) + Math.Pow(eight.Data[2 * i + 1] - cy, 2)), 0, 0.6);
        }
        Assert.All(eight.LabelCounts(), c => Assert.InRange(c, 400, 600));

        var moons = Toy2D.TwoMoons(1000, noise: 0, seed: 3);
        Assert.Equal([500, 500], moons.LabelCounts());
        for (int i = 0; i < moons.Count; i++)
        {
            double x = moons.Data[2 * i], y = moons.Data[2 * i + 1];
            // noise-free moons lie on unit circles centred (0,0) and (1,0.5)
            double r = moons.Labels![i] == 0 ? Math.Sqrt(x * x + y * y) : Math.Sqrt((x - 1) * (x - 1) + (y - 0.5) * (y - 0.5));
            Assert.InRange(r, 0.999, 1.001);
        }

        var board = Toy2D.Checkerboard(2000, seed: 4);
        for (int i = 0; i < board.Count; i++)
        {
            int cx = (int)Math.Floor(board.Data[2 * i] + 2), cy = (int)Math.Floor(board.Data[2 * i + 1] + 2);
            Assert.Equal(0, (cx + cy) % 2); // only the dark squares
        }

        var roll = Toy2D.SwissRoll(500, seed: 5);
        Assert.Equal(500, roll.Count);
        Assert.False(roll.HasLabels);

        var mix = Toy2D.GaussianMixture(3000, [(0, 0), (5, 5)], std: 0.5, weights: [1, 2], seed: 6);
        Assert.InRange(mix.LabelCounts()[1] / 3000.0, 0.62, 0.71);
    }

    [Fact]
    public void Gaussian_draws_have_mean_0_and_variance_1()
    {
        var rng = new Random(11);
        var xs = Enumerable.Range(0, 50_000).Select(_ => rng.NextGaussian()).ToArray();
        Assert.InRange(xs.Average(), -0.02, 0.02);
        Assert.InRange(xs.Select(x => x * x).Average(), 0.97, 1.03);
    }
}
