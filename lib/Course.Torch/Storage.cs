namespace Course.Torch;

/// <summary>
/// The flat managed buffer behind one or more tensors (a base and its views). Exactly one of F, L, B is set,
/// by dtype. Version counts in-place writes so autograd can detect a saved tensor that changed.
/// </summary>
internal sealed class Storage
{
    public readonly float[]? F;
    public readonly long[]? L;
    public readonly bool[]? B;
    public int Version;
    /// <summary>Creation order (process-wide): backward tells buffers a gradient function made from older ones.</summary>
    public readonly long Serial = Interlocked.Increment(ref serials);
    static long serials;

    /// <summary>The serial the next storage will get.</summary>
    public static long NextSerial => Volatile.Read(ref serials) + 1;

    public Storage(float[] f) => F = f;
    public Storage(long[] l) => L = l;
    public Storage(bool[] b) => B = b;

    public int Length => F?.Length ?? L?.Length ?? B!.Length;

    public static Storage Allocate(torch.ScalarType dtype, int n, bool zero) => dtype switch
    {
        torch.ScalarType.Float32 => new Storage(Floats(n, zero)),
        torch.ScalarType.Int64 => new Storage(zero ? new long[n] : GC.AllocateUninitializedArray<long>(n)),
        torch.ScalarType.Bool => new Storage(new bool[n]),
        _ => throw new NotSupportedException($"dtype {dtype} is not supported (Course.Torch has Float32, Int64 and Bool)."),
    };

    static float[] Floats(int n, bool zero)
    {
        if (BufferPool.Take(n) is { } a) { if (zero) Array.Clear(a); return a; }
        return zero ? new float[n] : GC.AllocateUninitializedArray<float>(n);
    }
}
