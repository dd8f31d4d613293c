namespace Course.Torch.Kernels;

/// <summary>
/// One GEMM, split into parts along the longer side of C (whole register tiles per part) so each thread
/// packs and computes its own slice with no shared state or barriers.
/// </summary>
internal readonly unsafe struct GemmCall(bool transA, bool transB, int m, int n, int k,
    nint a, nint lda, nint b, nint ldb, nint c, nint ldc, bool accumulate, GemmIsa isa, bool direct)
{
    private bool SplitRows => direct ? m >= n || n < 2 * TileCols : m >= n && m >= 2 * TileRows;
    private int TileRows => direct ? 1 : isa switch
    {
        GemmIsa.Avx512 => MicroKernelAvx512.MR, GemmIsa.Avx2 => MicroKernelAvx2.MR, _ => MicroKernelPortable.MR,
    };
    private int TileCols => direct ? 1 : isa switch
    {
        GemmIsa.Avx512 => MicroKernelAvx512.NR, GemmIsa.Avx2 => MicroKernelAvx2.NR, _ => MicroKernelPortable.NR,
    };

    /// <summary>How many non-empty parts the split can make.</summary>
    public int MaxParts => SplitRows ? (m + TileRows - 1) / TileRows : (n + TileCols - 1) / TileCols;

    /// <summary>Runs the whole product; blocked products share packed B across threads, direct ones split rows.</summary>
    public void Run(int threads)
    {
        if (threads <= 1) { RunPart(0, 1); return; }
        if (!direct)
        {
            float* pa = (float*)a, pb = (float*)b, pc = (float*)c;
            if (isa == GemmIsa.Avx512) GemmBlocked<MicroKernelAvx512>.RunParallel(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, threads);
            else if (isa == GemmIsa.Avx2) GemmBlocked<MicroKernelAvx2>.RunParallel(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, threads);
            else GemmBlocked<MicroKernelPortable>.RunParallel(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, threads);
            return;
        }
        var self = this;
        int parts = Math.Min(threads, MaxParts);
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p => self.RunPart(p, parts));
    }

    public void RunPart(int part, int parts)
    {
        float* pa = (float*)a, pb = (float*)b, pc = (float*)c;
        int mm = m, nn = n;
        if (parts > 1)
        {
            bool rows = SplitRows;
            int len = rows ? m : n, tile = rows ? TileRows : TileCols;
            int tiles = (len + tile - 1) / tile;
            int t0 = (int)((long)tiles * part / parts), t1 = (int)((long)tiles * (part + 1) / parts);
            int start = t0 * tile, end = Math.Min(len, t1 * tile);
            if (end <= start) return;
            if (rows)
            {
                pa += transA ? start : start * lda;
                pc += start * ldc;
                mm = end - start;
            }
            else
            {
                pb += transB ? start * ldb : start;
                pc += start;
                nn = end - start;
            }
        }
        if (direct) GemmDirect.Run(transA, transB, mm, nn, k, pa, lda, pb, ldb, pc, ldc, accumulate);
        else if (isa == GemmIsa.Avx512) GemmBlocked<MicroKernelAvx512>.Run(transA, transB, mm, nn, k, pa, lda, pb, ldb, pc, ldc, accumulate);
        else if (isa == GemmIsa.Avx2) GemmBlocked<MicroKernelAvx2>.Run(transA, transB, mm, nn, k, pa, lda, pb, ldb, pc, ldc, accumulate);
        else GemmBlocked<MicroKernelPortable>.Run(transA, transB, mm, nn, k, pa, lda, pb, ldb, pc, ldc, accumulate);
    }
}
