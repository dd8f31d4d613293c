namespace Course.Lab.Tests;

public class MetricsTests
{
    private static readonly double[] Scores = [0.1, 0.4, 0.35, 0.8];
    private static readonly bool[] Positive = [false, false, true, true];

    [Fact]
    public void Roc_matches_the_hand_computed_case()
    {
        // Thresholds 0.8, 0.4, 0.35, 0.1: TPR 0.5, 0.5, 1, 1; FPR 0, 0.5, 0.5, 1 -> AUC 0.75.
        var roc = Metrics.Roc(Scores, Positive);
        Assert.Equal([0, 0, 0.5, 0.5, 1], roc.FalsePositiveRate);
        Assert.Equal([0, 0.5, 0.5, 1, 1], roc.TruePositiveRate);
        Assert.Equal(0.75, roc.Auc, 12);
        Assert.Equal(double.PositiveInfinity, roc.Thresholds[0]);
        Assert.Equal(0.8, roc.Thresholds[1]);
    }

    [Fact]
    public void Tied_scores_count_half()
    {
        // One positive and one negative with the same score: the pair is ranked correctly half the time.
        Assert.Equal(0.5, Metrics.RocAuc([0.3, 0.3], [true, false]), 12);
        // positives {0.9, 0.5}, negatives {0.5, 0.1}: pairs (0.9>0.5, 0.9>0.1, 0.5=0.5, 0.5>0.1) -> 3.5/4
        Assert.Equal(0.875, Metrics.RocAuc([0.9, 0.5, 0.5, 0.1], [true, true, false, false]), 12);
        Assert.Equal(1.0, Metrics.RocAuc([0.9, 0.8, 0.2], [true, true, false]), 12);
        Assert.Equal(0.0, Metrics.RocAuc([0.1, 0.8, 0.9], [true, false, false]), 12);
    }

    [Fact]
    public void Roc_auc_equals_the_pairwise_ranking_probability_on_random_data()
    {
        var rng = new Random(5);
        var scores = Enumerable.Range(0, 300).Select(_ => Math.Round(rng.NextDouble(), 1)).ToArray(); // many ties
        var labels = scores.Select(s => rng.NextDouble() < s).ToArray();
        double wins = 0, pairs = 0;
        for (int i = 0; i < scores.Length; i++)
            for (int j = 0; j < scores.Length; j++)
                if (labels[i] && !labels[j])
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
        Assert.Equal(wins / pairs, Metrics.RocAuc(scores, labels), 10);
    }

    [Fact]
    public void Precision_recall_and_average_precision_match_the_hand_computed_case()
    {
        // Thresholds 0.8 (P 1, R 0.5), 0.4 (P 0.5, R 0.5), 0.35 (P 2/3, R 1), 0.1 (P 0.5, R 1).
        // AP = 0.5 * 1 + 0 * 0.5 + 0.5 * 2/3 + 0 * 0.5 = 0.8333...
        var pr = Metrics.PrecisionRecall(Scores, Positive);
        Assert.Equal([0, 0.5, 0.5, 1, 1], pr.Recall);
        Assert.Equal(1, pr.Precision[0]);
        Assert.Equal(1, pr.Precision[1]);
        Assert.Equal(0.5, pr.Precision[2]);
        Assert.Equal(2.0 / 3, pr.Precision[3], 12);
        Assert.Equal(0.5, pr.Precision[4]);
        Assert.Equal(5.0 / 6, pr.AveragePrecision, 12);
        Assert.Equal(5.0 / 6, Metrics.AveragePrecision(Scores, Positive), 12);
        Assert.Equal(pr.AveragePrecision, Metrics.PrecisionRecall(Scores, [0L, 0, 1, 1]).AveragePrecision);
    }

    [Fact]
    public void Curve_inputs_are_checked()
    {
        Assert.Contains("3 scores but 2 labels", Assert.Throws<ArgumentException>(() => Metrics.Roc([1.0, 2, 3], [true, false])).Message);
        Assert.Contains("both classes", Assert.Throws<ArgumentException>(() => Metrics.Roc([1.0, 2], [true, true])).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => Metrics.PrecisionRecall([double.NaN, 2], [true, false])).Message);
    }

    [Fact]
    public void Curves_chart_as_lines()
    {
        var roc = ChartTests.Figure(Metrics.Roc(Scores, Positive).Chart());
        Assert.Equal(["AUC 0.75", "chance"], roc["data"]!.AsArray().Select(t => (string)t!["name"]!));
        Assert.Equal([-0.01, 1.01], ChartTests.Numbers(roc["layout"]!["xaxis"]!["range"]));
        Assert.Equal("false positive rate", (string)roc["layout"]!["xaxis"]!["title"]!["text"]!);
        Assert.Contains("AP = 0.833", ChartDisplay.FigureJson(Metrics.PrecisionRecall(Scores, Positive).Chart()));
    }

    [Fact]
    public void Bits_per_dim_converts_nats()
    {
        Assert.Equal(205.8 / (784 * Math.Log(2)), Metrics.BitsPerDim(205.8, 784), 12);
        Assert.Equal(0.379, Metrics.BitsPerDim(205.8, 784), 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.BitsPerDim(1, 0));
    }

    private static double[,] Features(int n, int d, int seed, double shift = 0)
    {
        var rng = new Random(seed);
        var f = new double[n, d];
        for (int i = 0; i < n; i++)
        {
            double common = rng.NextGaussian();
            for (int j = 0; j < d; j++) f[i, j] = (j + 1) * rng.NextGaussian() + 0.5 * common + shift;
        }
        return f;
    }

    [Fact]
    public void Frechet_distance_of_a_set_with_itself_is_zero()
    {
        var a = Features(500, 6, 1);
        Assert.Equal(0, Metrics.FrechetDistance(a, a), 6);
    }

    [Fact]
    public void Frechet_distance_of_a_pure_mean_shift_is_the_squared_shift()
    {
        var a = Features(400, 5, 2);
        var shifted = (double[,])a.Clone();
        double[] d = [0.5, -1, 2, 0, 0.25];
        for (int i = 0; i < 400; i++)
            for (int j = 0; j < 5; j++) shifted[i, j] += d[j];
        Assert.Equal(d.Sum(x => x * x), Metrics.FrechetDistance(a, shifted), 6);
    }

    [Fact]
    public void Frechet_distance_grows_with_the_shift_and_matches_the_1d_formula()
    {
        var a = Features(1000, 4, 3);
        double small = Metrics.FrechetDistance(a, Features(1000, 4, 4, shift: 0.5));
        double large = Metrics.FrechetDistance(a, Features(1000, 4, 4, shift: 2));
        Assert.True(large > small && small > 0, $"{small} {large}");

        // 1-D: (mu1 - mu2)^2 + (s1 - s2)^2
        var x = new double[,] { { 1 }, { 2 }, { 3 }, { 4 } };   // mean 2.5, var 5/3
        var y = new double[,] { { 0 }, { 4 }, { 8 }, { 12 } };  // mean 6, var 80/3
        double expected = Math.Pow(2.5 - 6, 2) + Math.Pow(Math.Sqrt(5.0 / 3) - Math.Sqrt(80.0 / 3), 2);
        Assert.Equal(expected, Metrics.FrechetDistance(x, y), 9);
        Assert.Equal(expected, Metrics.FrechetDistance([1f, 2, 3, 4], 4, [0f, 4, 8, 12], 4, 1), 5);
        Assert.Contains("dimensions", Assert.Throws<ArgumentException>(() => Metrics.FrechetDistance(new double[3, 2], new double[3, 3])).Message);
    }
}
