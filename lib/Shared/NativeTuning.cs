using System.Runtime.InteropServices;

namespace Course.Shared;

/// <summary>
/// Process settings for libtorch on Linux, applied once at start-up by the runner, the kernel, the benchmark and
/// Course.Lab (linked source: the libraries do not reference each other). No effect elsewhere.
/// <list type="bullet">
/// <item>glibc malloc: with its defaults every libtorch buffer over the dynamic mmap threshold is mapped on allocation
/// and unmapped on free, so each training step pays page faults for all its activations again (a PixelCNN step
/// measured 2-5x slower).</item>
/// <item>OpenMP waiting: libtorch's OpenMP threads spin at every barrier by default. When another process holds a
/// core (a browser, a build, the test suite's other notebooks) the spinning thread waits out a scheduler slice at
/// each of a step's many parallel regions: a VAE step measured 180-480 ms with 2 threads against 35-54 ms with
/// <c>OMP_WAIT_POLICY=PASSIVE</c> on the same loaded machine. It must be in the C environment before libgomp starts,
/// i.e. before the first tensor; a value the user set is kept.</item>
/// </list>
/// <c>COURSE_NATIVE_TUNING=0</c> turns both off, for measuring the difference.
/// </summary>
internal static class NativeTuning
{
    private const int TrimThreshold = -1, TopPad = -2, MmapThreshold = -3;   // M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD

    private static int applied;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    /// <summary>True when this call applied the settings; false when off, already applied or unavailable.</summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("COURSE_NATIVE_TUNING") == "0") return false;
        if (Interlocked.Exchange(ref applied, 1) == 1) return false;
        try
        {
            // .NET's Environment.SetEnvironmentVariable does not reach the C environment libgomp reads.
            SetEnv("OMP_WAIT_POLICY", "PASSIVE", overwrite: 0);
            // Buffers up to 32 MiB come from the heap and are reused; freed memory stays mapped instead of being
            // returned and faulted in again at the next step; the heap grows in 64 MiB steps.
            return Mallopt(MmapThreshold, 32 << 20) == 1 & Mallopt(TrimThreshold, int.MaxValue) == 1 & Mallopt(TopPad, 64 << 20) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;   // not glibc (musl): nothing to tune
        }
    }

    /// <summary>
    /// The same settings as environment variables for a child process (glibc reads <c>GLIBC_TUNABLES</c> at start-up),
    /// so that a comparison run, such as the benchmark's PyTorch side, works under the same allocator and OpenMP
    /// policy. .NET starts children from its own copy of the environment, which <see cref="Apply"/>'s setenv does not reach.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ChildEnvironment() => new Dictionary<string, string>
    {
        ["OMP_WAIT_POLICY"] = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "PASSIVE",
        ["GLIBC_TUNABLES"] = $"glibc.malloc.mmap_threshold={32 << 20}:glibc.malloc.trim_threshold={int.MaxValue}:glibc.malloc.top_pad={64 << 20}",
    };

    /// <summary>Whether the settings were applied in this process.</summary>
    public static bool IsApplied => Volatile.Read(ref applied) == 1;
}
