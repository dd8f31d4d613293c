namespace Course.Torch.Kernels;

/// <summary>
/// Single-precision matrix multiply on row-major data: C = op(A) · op(B) (+ C when accumulate).
/// op(A) is m×k, op(B) is k×n, C is m×n. lda/ldb/ldc are row strides of the stored matrices.
/// </summary>
/// <remarks>
/// Large products run a packed, cache-blocked kernel with a SIMD register tile (AVX-512, AVX2+FMA, or
/// portable Vector&lt;float&gt;), split over cores when the work is worth a fork. Small or skinny products
/// (any dimension of a few elements) run a direct loop with no packing and no threads.
/// </remarks>
public static class Gemm
{
    /// <summary>Threads a large product may use (all cores by default).</summary>
    public static int MaxThreads
    {
        get => maxThreads;
        set => maxThreads = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "Gemm.MaxThreads must be at least 1");
    }

    private static int maxThreads = Environment.ProcessorCount;

    /// <summary>Below this many FLOPs (2mnk) a product stays on the calling thread: a fork costs microseconds.</summary>
    internal const double ParallelFlops = 3e6;

    /// <summary>The micro-kernel this process uses, e.g. "AVX-512F 8x32".</summary>
    public static string KernelDescription => GemmIsas.Describe(GemmIsas.Best);

    public static void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate)
        => Sgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, GemmIsas.Best, MaxThreads);

    /// <summary>As the public overload, with the micro-kernel and thread count chosen (tests, benchmarks).</summary>
    internal static unsafe void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate, GemmIsa isa, int threads)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (!GemmIsas.IsSupported(isa))
            throw new PlatformNotSupportedException($"Sgemm: micro-kernel {isa} is not supported by this CPU");
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (GemmSplitK.Applies(m, n, k))
                GemmSplitK.Run(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, isa, threads);
            else
                SgemmUnchecked(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, isa, threads);
        }
    }

    /// <summary>
    /// C = op(A)·op(B) + bias (bias broadcast over rows; empty for none), then relu in place when asked: a linear
    /// layer's forward in one pass over C. Same values as filling C with the bias rows, an accumulating Sgemm and a
    /// separate relu.
    /// </summary>
    /// <remarks>
    /// A non-empty <paramref name="mask"/> (m x n, row stride n) then zeroes C where mask &lt;= 0: the input gradient
    /// of a linear layer whose input was a relu output, with that relu's backward folded in.
    /// </remarks>
    internal static unsafe void SgemmBiasRelu(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
        ReadOnlySpan<float> bias, bool relu, GemmIsa isa, int threads, ReadOnlySpan<float> mask = default)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (!bias.IsEmpty && bias.Length != n)
            throw new ArgumentException($"Sgemm: bias holds {bias.Length} elements, C has {n} columns (m={m}, n={n}, k={k})");
        if (!mask.IsEmpty && mask.Length < (long)m * n)
            throw new ArgumentException($"Sgemm: mask holds {mask.Length} elements, C is {m}x{n} (k={k})");
        if (!GemmIsas.IsSupported(isa))
            throw new PlatformNotSupportedException($"Sgemm: micro-kernel {isa} is not supported by this CPU");
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c, pbias = bias, pm = mask)
        {
            var ep = new GemmEpilogue(bias.IsEmpty ? 0 : (nint)pbias, relu, mask.IsEmpty ? 0 : (nint)pm, n);
            if (k == 0 || GemmSplitK.Applies(m, n, k))
            {
                // Rare shapes for a layer: bias, product and relu as separate passes.
                if (ep.HasBias) ep.FillBias(pc, ldc, m, 0, n);
                if (k == 0) { if (!ep.HasBias) for (int i = 0; i < m; i++) new Span<float>(pc + i * ldc, n).Clear(); }
                else GemmSplitK.Run(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, ep.HasBias, isa, threads);
                if (ep.HasTail) ep.Finish(pc, ldc, 0, m, 0, n);
                return;
            }
            var call = new GemmCall(transA, transB, m, n, k, (nint)pa, lda, (nint)pb, ldb, (nint)pc, ldc, false, isa,
                UseDirect(m, n, k), ep);
            call.Run(ThreadsFor(m, n, k, threads));
        }
    }

    /// <summary>Pointer entry for other kernels (convolution); shapes and strides already checked.</summary>
    internal static unsafe void SgemmUnchecked(bool transA, bool transB, int m, int n, int k,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate, GemmIsa isa, int threads)
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++) new Span<float>(c + i * ldc, n).Clear();
            return;
        }
        var call = new GemmCall(transA, transB, m, n, k, (nint)a, lda, (nint)b, ldb, (nint)c, ldc, accumulate, isa,
            UseDirect(m, n, k));
        call.Run(ThreadsFor(m, n, k, threads));
    }

    /// <summary>Threads a product of this size gets: one below <see cref="ParallelFlops"/>, else all it may use.</summary>
    internal static int ThreadsFor(int m, int n, int k, int threads) => 2.0 * m * n * k < ParallelFlops ? 1 : threads;

    /// <summary>
    /// True when <see cref="SgemmUnchecked"/> would run this product on one thread, on the blocked path, in a single
    /// column block: then <see cref="SgemmPrepacked"/> on operands packed ahead gives bitwise the same C.
    /// </summary>
    internal static bool RunsPrepackable(int m, int n, int k, int threads) =>
        k > 0 && PackedBLayout.Fits(n) && !UseDirect(m, n, k) && ThreadsFor(m, n, k, threads) <= 1;

    /// <summary>The packed-B layout the one-thread blocked GEMM of <paramref name="isa"/> reads (a k x n B, n &lt;= Nc).</summary>
    internal static PackedBLayout PackedB(GemmIsa isa, int k, int n) => new(k, n, isa switch
    {
        GemmIsa.Avx512 => MicroKernelAvx512.NR,
        GemmIsa.Avx2 => MicroKernelAvx2.NR,
        _ => MicroKernelPortable.NR,
    });

    /// <summary>Floats of op(A) (m x k) packed whole for <paramref name="isa"/>'s kernel (<see cref="PackWholeA"/>).</summary>
    internal static long PackedAFloats(GemmIsa isa, int m, int k) => isa switch
    {
        GemmIsa.Avx512 => GemmBlocked<MicroKernelAvx512>.PackedAFloats(m, k),
        GemmIsa.Avx2 => GemmBlocked<MicroKernelAvx2>.PackedAFloats(m, k),
        _ => GemmBlocked<MicroKernelPortable>.PackedAFloats(m, k),
    };

    /// <summary>Packs all of op(A) once, for products that share it (a convolution's weight over images and bands).</summary>
    internal static unsafe void PackWholeA(GemmIsa isa, bool transA, int m, int k, float* a, nint lda, float* dst)
    {
        if (isa == GemmIsa.Avx512) GemmBlocked<MicroKernelAvx512>.PackWholeA(transA, m, k, a, lda, dst);
        else if (isa == GemmIsa.Avx2) GemmBlocked<MicroKernelAvx2>.PackWholeA(transA, m, k, a, lda, dst);
        else GemmBlocked<MicroKernelPortable>.PackWholeA(transA, m, k, a, lda, dst);
    }

    /// <summary>
    /// C (+)= op(A)·B on the calling thread, with A packed by <see cref="PackWholeA"/> and B in <see cref="PackedB"/>'s
    /// layout: bitwise what <see cref="SgemmUnchecked"/> gives when <see cref="RunsPrepackable"/> holds.
    /// </summary>
    internal static unsafe void SgemmPrepacked(int m, int n, int k, float* packedA, float* packedB,
        float* c, nint ldc, bool accumulate, GemmIsa isa)
    {
        if (isa == GemmIsa.Avx512) GemmBlocked<MicroKernelAvx512>.RunPrepacked(m, n, k, packedA, packedB, c, ldc, accumulate);
        else if (isa == GemmIsa.Avx2) GemmBlocked<MicroKernelAvx2>.RunPrepacked(m, n, k, packedA, packedB, c, ldc, accumulate);
        else GemmBlocked<MicroKernelPortable>.RunPrepacked(m, n, k, packedA, packedB, c, ldc, accumulate);
    }

    /// <summary>
    /// Packing pays off unless C is only a few rows or columns wide (a register tile would be mostly
    /// padding) or the whole product is tiny. Measured: even k = 3 or 16x16x16 run faster packed.
    /// </summary>
    internal static bool UseDirect(int m, int n, int k) => m < 4 || n < 8 || (long)m * n * k < 512;

    internal static void Validate(bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"Sgemm: sizes must be non-negative, got m={m}, n={n}, k={k}");
        CheckOperand("A", transA, m, k, aLength, lda);
        CheckOperand("B", transB, k, n, bLength, ldb);
        CheckOperand("C", false, m, n, cLength, ldc);
    }

    /// <summary>op(X) is rows x cols; X is stored transposed when trans. Checks stride and span length.</summary>
    private static void CheckOperand(string name, bool trans, int rows, int cols, int length, int ld)
    {
        int storedRows = trans ? cols : rows, storedCols = trans ? rows : cols;
        long need = storedRows == 0 || storedCols == 0 ? 0 : (long)(storedRows - 1) * ld + storedCols;
        if (ld >= Math.Max(1, storedCols) && length >= need) return;
        // The message is built only on failure: this check runs on every call, including 1x2x1 products.
        string shape = $"{name}{(trans ? "ᵀ" : "")} is {rows}x{cols}, stored {storedRows}x{storedCols} with ld{name.ToLowerInvariant()}={ld}";
        if (ld < Math.Max(1, storedCols))
            throw new ArgumentException($"Sgemm: {shape}: the row stride must be at least {Math.Max(1, storedCols)}");
        throw new ArgumentException($"Sgemm: {shape} needs {need} elements, but the span holds {length}");
    }
}
