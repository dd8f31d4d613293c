using System.Runtime.CompilerServices;

namespace Course.Torch.Kernels;

/// <summary>Per-thread scratch slots. Kernels on one thread never use the same slot twice at once.</summary>
internal enum ScratchSlot { PackA, PackB, Row, SmallB, Col, ColChunk, Transposed, Partial, Count }

/// <summary>
/// Pinned, 64-byte aligned, per-thread float buffers that grow and are reused, so kernels never allocate
/// per call. Pinned (POH) arrays keep the addresses stable without fixed blocks around long loops.
/// </summary>
internal static unsafe class ScratchBuffers
{
    [ThreadStatic] private static float[]?[]? slots;

    /// <summary>A 64-byte aligned buffer of at least <paramref name="length"/> floats; contents undefined.</summary>
    public static float* Get(ScratchSlot slot, long length)
    {
        if (length > Array.MaxLength - 16)
            throw new OutOfMemoryException($"kernel scratch buffer {slot}: {length} floats requested, more than one array can hold");
        slots ??= new float[]?[(int)ScratchSlot.Count];
        float[]? buf = slots[(int)slot];
        if (buf is null || buf.Length - 16 < length)
        {
            long grown = Math.Max(length, buf is null ? 0 : Math.Min(Array.MaxLength - 16, (long)buf.Length * 3 / 2));
            buf = GC.AllocateUninitializedArray<float>((int)grown + 16, pinned: true);
            slots[(int)slot] = buf;
        }
        nint p = (nint)Unsafe.AsPointer(ref buf[0]);
        return (float*)((p + 63) & ~(nint)63);
    }
}
