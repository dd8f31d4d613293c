using System.Diagnostics;
using System.Globalization;

namespace Course.Bench;

/// <summary>
/// --memory: runs row b's VAE training step (each in its own dispose scope, as the course teaches) many times and
/// reports every 1,000 steps the process's resident memory (VmRSS from /proc/self/status, which counts libtorch's
/// native buffers), the managed heap and the live TorchSharp tensors (Tensor.TotalCount: created and not yet
/// disposed or finalized). Flat means the last 1,000-step window's largest RSS is within 10% of the first window
/// after warm-up (steps 1,001-2,000). With --no-scope the same step runs without its dispose scope, to show what the
/// scope saves: each step's tensors then wait for the garbage collector, which sees only their small managed
/// wrappers, not the native buffers behind them.
/// </summary>
public static class MemoryCheck
{
    const int Window = 1000, SampleEvery = 50;
    const double Tolerance = 0.10;

    /// <summary>Returns 0 when RSS stayed flat, 1 when it grew, 2 when there were too few steps to judge.</summary>
    public static int Run(int steps, bool scopes, TextWriter o)
    {
        if (steps < Window) throw new ArgumentException($"--memory: need at least {Window} steps, got {steps}");
        var (model, opt, x) = VaeRow.Create();
        using var owned = new BenchStep(() => { }, model, opt, x);
        o.WriteLine($"# memory check: row b (VAE) training step x {steps:N0}, {(scopes ? "one dispose scope per step" : "NO dispose scope (--no-scope)")}; RSS sampled every {SampleEvery} steps");
        o.WriteLine($"{"step",8} {"RSS MB",9} {"window max MB",14} {"managed MB",11} {"live tensors",13} {"gen0",6} {"gen1",5} {"gen2",5} {"s",7}");
        var sw = Stopwatch.StartNew();
        var windowMax = new List<long>();
        long max = 0;
        for (int i = 1; i <= steps; i++)
        {
            VaeRow.Step(model, opt, x, scopes);
            if (i % SampleEvery == 0) max = Math.Max(max, ResidentBytes());
            if (i % Window == 0 || i == steps)
            {
                long rss = ResidentBytes();
                max = Math.Max(max, rss);
                windowMax.Add(max);
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{i,8} {Mb(rss),9:F1} {Mb(max),14:F1} {Mb(GC.GetTotalMemory(false)),11:F1} {Tensor.TotalCount,13} {GC.CollectionCount(0),6} {GC.CollectionCount(1),5} {GC.CollectionCount(2),5} {sw.Elapsed.TotalSeconds,7:F1}"));
                max = 0;
            }
        }
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"peak RSS (VmHWM) {Mb(StatusBytes("VmHWM")):F1} MB; GC pause total {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms; {sw.Elapsed.TotalSeconds / steps * 1000:F2} ms/step"));
        // Window 0 is warm-up (JIT, first allocations, allocator growth); compare the last window with window 1.
        if (windowMax.Count < 3)
        {
            o.WriteLine($"flat: undecided (need at least {3 * Window:N0} steps: a warm-up window, a first window and a last one)");
            return 2;
        }
        double first = windowMax[1], last = windowMax[^1], growth = last / first - 1;
        bool flat = Math.Abs(growth) <= Tolerance;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"flat: {(flat ? "yes" : "NO")} (last window max RSS {Mb((long)last):F1} MB vs first window after warm-up {Mb((long)first):F1} MB: {growth * 100:+0.0;-0.0}%, limit {Tolerance * 100:F0}%)"));
        return flat ? 0 : 1;
    }

    /// <summary>Resident set size of this process: native (libtorch) and managed memory alike.</summary>
    public static long ResidentBytes() => StatusBytes("VmRSS");

    /// <summary>A "Name:  123 kB" field of /proc/self/status in bytes.</summary>
    static long StatusBytes(string field)
    {
        var status = MachineInfo.ReadOrNull("/proc/self/status")
            ?? throw new InvalidOperationException("--memory reads /proc/self/status, which this system does not have (Linux only)");
        var line = status.Split('\n').FirstOrDefault(l => l.StartsWith(field + ":"))
            ?? throw new InvalidOperationException($"--memory: no {field} line in /proc/self/status");
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    static double Mb(long bytes) => bytes / (1024.0 * 1024.0);
}
