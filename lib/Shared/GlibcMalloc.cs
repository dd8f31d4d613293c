using System.Runtime.InteropServices;

namespace Course.Shared;

/// <summary>
/// Tunes glibc's allocator for tensor work. With its defaults, every libtorch buffer over the dynamic mmap
/// threshold is mapped on allocation and unmapped on free, so each training step pays page faults for all its
/// activations and gradients again: a PixelCNN step measured 2-5x slower than with these settings. Called once at
/// start-up by the runner, the kernel, the benchmark and Course.Lab (linked source: the libraries do not reference
/// each other). No effect off Linux or on a C library without <c>mallopt</c> (musl); <c>COURSE_MALLOC_TUNING=0</c>
/// turns it off, for measuring the difference.
/// </summary>
internal static class GlibcMalloc
{
    private const int TrimThreshold = -1, TopPad = -2, MmapThreshold = -3;   // M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD

    private static int tuned;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);

    /// <summary>True when this call applied the settings; false when off, already applied or unavailable.</summary>
    public static bool TuneForTensors()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("COURSE_MALLOC_TUNING") == "0") return false;
        if (Interlocked.Exchange(ref tuned, 1) == 1) return false;
        try
        {
            // Buffers up to 32 MiB come from the heap and are reused; freed memory stays mapped instead of being
            // returned and faulted in again at the next step; the heap grows in 64 MiB steps.
            return Mallopt(MmapThreshold, 32 << 20) == 1 & Mallopt(TrimThreshold, int.MaxValue) == 1 & Mallopt(TopPad, 64 << 20) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Whether the settings are in force in this process.</summary>
    public static bool IsTuned => Volatile.Read(ref tuned) == 1;
}
