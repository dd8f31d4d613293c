using System.Diagnostics;
using System.Globalization;

namespace Course.Torch.Bench;

/// <summary>
/// --memory: runs row b's VAE training step many times with no Dispose calls (managed memory is the engine's
/// promise) and reports the working set every 1,000 steps, the peak, and GC counts. Flat means the last
/// 1,000-step window's largest working set is within 10% of the first window after warm-up (steps 1,001-2,000).
/// </summary>
public static class MemoryCheck
{
    const int Window = 1000, SampleEvery = 50;
    const double Tolerance = 0.10;

    /// <summary>Returns 0 when the working set stayed flat, 1 when it grew, 2 when there were too few steps to judge.</summary>
    public static int Run(int steps, TextWriter o)
    {
        if (steps < Window) throw new ArgumentException($"--memory: need at least {Window} steps, got {steps}");
        var proc = Process.GetCurrentProcess();
        var step = new VaeRow().CreateStep();
        o.WriteLine($"# memory check: row b (VAE) training step x {steps:N0}, no dispose calls; working set sampled every {SampleEvery} steps");
        o.WriteLine($"{"step",8} {"working set MB",15} {"window max MB",14} {"managed MB",11} {"gen0",7} {"gen1",6} {"gen2",6} {"GC pause ms",12} {"s",7}");
        var sw = Stopwatch.StartNew();
        var windowMax = new List<long>();
        long max = 0;
        for (int i = 1; i <= steps; i++)
        {
            step();
            if (i % SampleEvery == 0)
            {
                proc.Refresh();
                max = Math.Max(max, proc.WorkingSet64);
            }
            if (i % Window == 0 || i == steps)
            {
                proc.Refresh();
                max = Math.Max(max, proc.WorkingSet64);
                windowMax.Add(max);
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{i,8} {Mb(proc.WorkingSet64),15:F1} {Mb(max),14:F1} {Mb(GC.GetTotalMemory(false)),11:F1} {GC.CollectionCount(0),7} {GC.CollectionCount(1),6} {GC.CollectionCount(2),6} {GC.GetTotalPauseDuration().TotalMilliseconds,12:F0} {sw.Elapsed.TotalSeconds,7:F1}"));
                max = 0;
            }
        }
        proc.Refresh();
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"peak working set {Mb(proc.PeakWorkingSet64):F1} MB; GC collections gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, total pause {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms; {sw.Elapsed.TotalSeconds / steps * 1000:F2} ms/step"));
        // Window 0 is warm-up (JIT, first allocations, GC heap sizing); compare the last window with window 1.
        if (windowMax.Count < 3)
        {
            o.WriteLine($"flat: undecided (need at least {3 * Window:N0} steps: a warm-up window, a first window and a last one)");
            return 2;
        }
        double first = windowMax[1], last = windowMax[^1], growth = last / first - 1;
        bool flat = growth <= Tolerance;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"flat: {(flat ? "yes" : "NO")} (last window max {Mb((long)last):F1} MB vs first window after warm-up {Mb((long)first):F1} MB: {growth * 100:+0.0;-0.0}%, limit +{Tolerance * 100:F0}%)"));
        return flat ? 0 : 1;
    }

    static double Mb(long bytes) => bytes / (1024.0 * 1024.0);
}
