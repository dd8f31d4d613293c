namespace Course.Torch;

/// <summary>
/// Free lists of large float buffers that backward proved dead (intermediate gradients nobody else can reach).
/// Reusing them keeps backward's writes in cache and cuts what a training step allocates, so gen0 collections
/// (which copy every live activation) run less often, and gradients above the large-object threshold (PixelCNN's
/// 12.8 MB conv activations) stop triggering gen2 collections. Only backward returns buffers, and only ones it
/// created itself; see <see cref="Autograd.Backward"/>. Process-wide and bounded, so a host that runs training
/// on many thread-pool threads (notebook cells) holds at most <see cref="MaxFloats"/> floats in it.
/// </summary>
internal static class BufferPool
{
    /// <summary>Smaller buffers are cheap to allocate and not worth tracking.</summary>
    public const int MinLength = 4096;
    const int PerLength = 4;
    public const long MaxFloats = 8L << 20; // 32 MB

    static readonly Dictionary<int, Stack<float[]>> free = new();
    static readonly Lock gate = new();
    static long held;

    /// <summary>A dead buffer of exactly n floats (contents arbitrary), or null.</summary>
    public static float[]? Take(int n)
    {
        if (n < MinLength || Volatile.Read(ref held) == 0) return null;
        lock (gate)
        {
            if (!free.TryGetValue(n, out var s) || s.Count == 0) return null;
            held -= n;
            return s.Pop();
        }
    }

    /// <summary>Hands back a buffer that no tensor references any more.</summary>
    public static void Return(float[] a)
    {
        int n = a.Length;
        if (n < MinLength) return;
        offeredOnThread++;
        lock (gate)
        {
            if (held + n > MaxFloats) return;
            if (!free.TryGetValue(n, out var s)) free[n] = s = new Stack<float[]>(PerLength);
            if (s.Count >= PerLength) return;
            s.Push(a);
            held += n;
        }
    }

    [ThreadStatic] static long offeredOnThread;

    /// <summary>Buffers this thread has offered back so far, kept or not (tests: backward runs on the caller's thread).</summary>
    internal static long OfferedOnThisThread => offeredOnThread;

    /// <summary>Floats held right now (tests).</summary>
    internal static long Held { get { lock (gate) return held; } }
}
