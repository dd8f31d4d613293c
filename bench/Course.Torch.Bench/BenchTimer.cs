using System.Diagnostics;

namespace Course.Torch.Bench;

/// <summary>Median/min/max seconds per step over the timed repetitions, and the calibrated inner count.</summary>
public sealed record BenchStats(double Median, double Min, double Max, int Inner, int Reps);

/// <summary>
/// The timing method of pytorch_reference.py, step for step: warm up (>= 3 calls and >= 0.5 s), time one
/// call to calibrate `inner` so a repetition lasts ~target seconds, then time `reps` repetitions.
/// </summary>
public static class BenchTimer
{
    public static BenchStats Measure(Action step, int reps, double targetSeconds, double minWarmSeconds = 0.5)
    {
        var sw = Stopwatch.StartNew();
        int n = 0;
        while (n < 3 || sw.Elapsed.TotalSeconds < minWarmSeconds)
        {
            step();
            n++;
        }
        sw.Restart();
        step();
        double one = sw.Elapsed.TotalSeconds;
        int inner = Math.Max(1, (int)Math.Round(targetSeconds / Math.Max(one, 1e-9)));
        var times = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            sw.Restart();
            for (int i = 0; i < inner; i++) step();
            times[r] = sw.Elapsed.TotalSeconds / inner;
        }
        return new BenchStats(Median(times), times.Min(), times.Max(), inner, reps);
    }

    /// <summary>Python's statistics.median: the mean of the two middle values for an even count.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var s = values.Order().ToArray();
        int h = s.Length / 2;
        return s.Length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2;
    }
}
