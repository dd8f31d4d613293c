using System.Diagnostics;
using System.Runtime;

namespace Course.Bench;

/// <summary>Median/min/max seconds per step over the timed repetitions, and the calibrated inner count.</summary>
public sealed record BenchStats(double Median, double Min, double Max, int Inner, int Reps);

/// <summary>
/// The timing method of pytorch_reference.py, step for step: warm up (>= 3 calls and >= 0.5 s), time one
/// call to calibrate `inner` so a repetition lasts ~target seconds, then time `reps` repetitions.
/// </summary>
/// <remarks>
/// One addition: the warm-up also lasts until .NET's tiered JIT has gone quiet (no method compiled for
/// <see cref="JitQuietSeconds"/>, at most <see cref="MaxWarmSeconds"/>). For a second or two after start the
/// JIT recompiles hot methods on a background thread, which on two cores takes one of them from the step being
/// timed; PyTorch has no JIT, so timing that phase would compare start-up, not steady state.
/// </remarks>
public static class BenchTimer
{
    private const double JitQuietSeconds = 0.3, MaxWarmSeconds = 10;

    public static BenchStats Measure(Action step, int reps, double targetSeconds, double minWarmSeconds = 0.5)
    {
        var sw = Stopwatch.StartNew();
        int n = 0;
        long compiled = JitInfo.GetCompiledMethodCount();
        double quietSince = 0;
        while (n < 3 || sw.Elapsed.TotalSeconds < minWarmSeconds
               || (sw.Elapsed.TotalSeconds - quietSince < JitQuietSeconds && sw.Elapsed.TotalSeconds < MaxWarmSeconds))
        {
            step();
            n++;
            long now = JitInfo.GetCompiledMethodCount();
            if (now != compiled) (compiled, quietSince) = (now, sw.Elapsed.TotalSeconds);
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
