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

    public Storage(float[] f) => F = f;
    public Storage(long[] l) => L = l;
    public Storage(bool[] b) => B = b;

    public int Length => F?.Length ?? L?.Length ?? B!.Length;

    public static Storage Allocate(torch.ScalarType dtype, int n, bool zero) => dtype switch
    {
        torch.ScalarType.Float32 => new Storage(zero ? new float[n] : GC.AllocateUninitializedArray<float>(n)),
        torch.ScalarType.Int64 => new Storage(zero ? new long[n] : GC.AllocateUninitializedArray<long>(n)),
        torch.ScalarType.Bool => new Storage(new bool[n]),
        _ => throw new NotSupportedException($"dtype {dtype} is not supported (Course.Torch has Float32, Int64 and Bool)."),
    };
}
