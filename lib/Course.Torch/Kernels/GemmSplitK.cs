using System.Numerics.Tensors;

namespace Course.Torch.Kernels;

/// <summary>
/// Deep, small products (C of at most 192x192 with k of 1024 or more, e.g. a weight gradient dYᵀX over a batch
/// of 1024): C is too small to cut into enough chunks for every core, so k is cut instead. Each of a fixed
/// number of k slices runs the serial blocked kernel (slice 0 straight into C, the others into scratch), then
/// the slices are added to C in slice order. The slice count depends on k only, never on the threads, so
/// results are the same on any number of threads (bitwise), as for every other GEMM path.
/// </summary>
internal static unsafe class GemmSplitK
{
    /// <summary>k per slice at least this: shallower slices would spend more on packing and the sum than they save.</summary>
    private const int MinSliceDepth = 512;
    private const int MaxSlices = 4;
    private const long MaxOutput = 192 * 192;

    public static bool Applies(int m, int n, int k)
        => k >= 2 * MinSliceDepth && (long)m * n <= MaxOutput && !Gemm.UseDirect(m, n, k);

    public static int Slices(int k) => Math.Min(MaxSlices, k / MinSliceDepth);

    public static void Run(bool transA, bool transB, int m, int n, int k,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate, GemmIsa isa, int threads)
    {
        int slices = Slices(k);
        // Slices 1.. go to scratch of the calling thread (workers write there through the pointer).
        float* partial = ScratchBuffers.Get(ScratchSlot.Partial, (long)(slices - 1) * m * n);
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c, pp = (nint)partial;
        void Slice(int s)
        {
            int k0 = (int)((long)k * s / slices), k1 = (int)((long)k * (s + 1) / slices);
            float* sa = (float*)pa + (transA ? k0 * lda : k0);
            float* sb = (float*)pb + (transB ? k0 : k0 * ldb);
            if (s == 0)
                Serial(transA, transB, m, n, k1 - k0, sa, lda, sb, ldb, (float*)pc, ldc, accumulate, isa);
            else
                Serial(transA, transB, m, n, k1 - k0, sa, lda, sb, ldb, (float*)pp + (nint)(s - 1) * m * n, n, false, isa);
        }
        int parts = Gemm.ThreadsFor(m, n, k, Math.Min(threads, slices));
        if (parts <= 1) for (int s = 0; s < slices; s++) Slice(s);
        else WorkerPool.For(slices, parts, Slice);
        // Fixed order: C = ((C0 + C1) + C2) + ...
        for (int s = 1; s < slices; s++)
        {
            float* src = partial + (nint)(s - 1) * m * n;
            for (int i = 0; i < m; i++)
            {
                var ci = new Span<float>(c + i * ldc, n);
                TensorPrimitives.Add(ci, new ReadOnlySpan<float>(src + (nint)i * n, n), ci);
            }
        }
    }

    private static void Serial(bool transA, bool transB, int m, int n, int k,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate, GemmIsa isa)
    {
        if (isa == GemmIsa.Avx512) GemmBlocked<MicroKernelAvx512>.Run(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        else if (isa == GemmIsa.Avx2) GemmBlocked<MicroKernelAvx2>.Run(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        else GemmBlocked<MicroKernelPortable>.Run(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    }
}
