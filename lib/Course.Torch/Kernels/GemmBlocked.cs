using System.Runtime.CompilerServices;

namespace Course.Torch.Kernels;

/// <summary>
/// Cache-blocking sizes shared by every micro-kernel. Measured on a 2-core Zen 4 (2 MB L2 per core): depths
/// 128..384 perform within noise of each other; 256 halves C's reload traffic against 128.
/// </summary>
internal static class GemmBlocking
{
    /// <summary>Depth (k) of a packed block; k is split into equal blocks of at most this.</summary>
    public const int Kc = 256;
    /// <summary>Rows of A packed at once (rounded to MR): the packed A block lives in L2.</summary>
    public const int Mc = 128;
    /// <summary>Columns of B packed at once (rounded to NR): the packed B block lives in L2/L3.</summary>
    public const int Nc = 2048;

    /// <summary>Equal-depth k blocks: 784 -> 4 x 196 rather than 3 x 256 + 16.</summary>
    public static int BalancedDepth(int k)
    {
        int blocks = (k + Kc - 1) / Kc;
        return (k + blocks - 1) / blocks;
    }

    public static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;
}

/// <summary>
/// Where element (p, j) of a k x n matrix B sits once packed for one thread's blocked GEMM with n &lt;= Nc: k blocks
/// of <see cref="GemmBlocking.BalancedDepth"/> rows, one after another; inside a block, NR-column panels of kc x NR,
/// zero-padded to a whole panel. Lets a producer (im2col) write B straight into the packed form.
/// </summary>
internal readonly record struct PackedBLayout(int K, int N, int NR)
{
    public int KcMax { get; } = GemmBlocking.BalancedDepth(K);
    public int PaddedN { get; } = GemmBlocking.RoundUp(N, NR);
    public long Floats => (long)K * PaddedN;

    /// <summary>Start of row p's first panel; panel q of that row is q x <see cref="PanelStride"/> further.</summary>
    public nint RowStart(int p)
    {
        int pc = p / KcMax * KcMax;
        return (nint)pc * PaddedN + (nint)(p - pc) * NR;
    }

    public nint PanelStride(int p)
    {
        int pc = p / KcMax * KcMax;
        return (nint)Math.Min(KcMax, K - pc) * NR;
    }

    public static bool Fits(int n) => n <= GemmBlocking.Nc;
}

/// <summary>
/// Goto/BLIS-style blocked GEMM on one thread: loops jc (Nc) / pc (Kc) / ic (Mc) around packed panels,
/// then jr (NR) / ir (MR) around the register-tiled micro-kernel. Ragged tiles go through a small
/// stack tile so the micro-kernel never needs bounds checks.
/// </summary>
internal static unsafe class GemmBlocked<TK> where TK : struct, IMicroKernel
{
    /// <summary>
    /// As <see cref="Run"/> on one thread, with A packed by <see cref="PackWholeA"/> and B in
    /// <see cref="PackedBLayout"/>: the same blocks in the same order, so bitwise the same C (n &lt;= Nc).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunPrepacked(int m, int n, int k, float* packedA, float* packedB, float* c, nint ldc, bool accumulate)
    {
        var layout = new PackedBLayout(k, n, TK.NR);
        int kcMax = layout.KcMax;
        int mcMax = GemmBlocking.RoundUp(Math.Min(GemmBlocking.Mc, m), TK.MR);
        nint mPad = GemmBlocking.RoundUp(m, TK.MR);
        for (int pc = 0; pc < k; pc += kcMax)
        {
            int kc = Math.Min(kcMax, k - pc);
            for (int ic = 0; ic < m; ic += mcMax)
                Macro(kc, Math.Min(mcMax, m - ic), n, packedA + pc * mPad + (nint)ic * kc, packedB + layout.RowStart(pc),
                    c + ic * ldc, ldc, accumulate || pc > 0);
        }
    }

    /// <summary>Floats <see cref="PackWholeA"/> writes for an m x k op(A).</summary>
    public static long PackedAFloats(int m, int k) => (long)GemmBlocking.RoundUp(m, TK.MR) * k;

    /// <summary>All of op(A) packed as <see cref="RunPrepacked"/> reads it: the blocks (k block, row block) that
    /// <see cref="Run"/> packs one at a time, side by side, so an A used by many products is packed once.</summary>
    public static void PackWholeA(bool transA, int m, int k, float* a, nint lda, float* dst)
    {
        int mr = TK.MR, kcMax = GemmBlocking.BalancedDepth(k);
        int mcMax = GemmBlocking.RoundUp(Math.Min(GemmBlocking.Mc, m), mr);
        nint mPad = GemmBlocking.RoundUp(m, mr);
        for (int pc = 0; pc < k; pc += kcMax)
        {
            int kc = Math.Min(kcMax, k - pc);
            for (int ic = 0; ic < m; ic += mcMax)
                GemmPacking.PackA(transA, a, lda, ic, Math.Min(mcMax, m - ic), pc, kc, dst + pc * mPad + (nint)ic * kc, mr);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(bool transA, bool transB, int m, int n, int k,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate, GemmEpilogue ep = default)
    {
        int mr = TK.MR, nr = TK.NR;
        int kcMax = GemmBlocking.BalancedDepth(k);
        int mcMax = GemmBlocking.RoundUp(Math.Min(GemmBlocking.Mc, m), mr);
        int ncMax = GemmBlocking.RoundUp(Math.Min(GemmBlocking.Nc, n), nr);
        float* packA = ScratchBuffers.Get(ScratchSlot.PackA, (long)mcMax * kcMax);
        float* packB = ScratchBuffers.Get(ScratchSlot.PackB, (long)ncMax * kcMax);

        for (int jc = 0; jc < n; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                bool add = accumulate || pc > 0 || ep.HasBias;
                GemmPacking.PackB(transB, b, ldb, pc, kc, jc, nc, packB, nr);
                for (int ic = 0; ic < m; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m - ic);
                    float* cb = c + ic * ldc + jc;
                    if (pc == 0 && ep.HasBias) ep.FillBias(cb, ldc, mc, jc, nc);
                    GemmPacking.PackA(transA, a, lda, ic, mc, pc, kc, packA, mr);
                    Macro(kc, mc, nc, packA, packB, cb, ldc, add);
                    if (ep.HasTail && pc + kc >= k) ep.Finish(cb, ldc, ic, mc, jc, nc);
                }
            }
        }
    }

    /// <summary>
    /// The same loops on several threads, with one fork per call. C is cut into chunks (a row block x a
    /// group of NR panels) that threads take dynamically, so a core busy with other work slows the product
    /// instead of stalling it on a fixed half. Each chunk walks every k block; the packed B block it needs
    /// is packed once, by whichever thread gets there first, into a buffer shared by all threads.
    /// </summary>
    public static void RunParallel(bool transA, bool transB, int m, int n, int k,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate, int threads, GemmEpilogue ep = default)
    {
        int mr = TK.MR, nr = TK.NR;
        int kcMax = GemmBlocking.BalancedDepth(k);
        int kBlocks = (k + kcMax - 1) / kcMax;
        // Smaller row blocks than on one thread when m is modest, so every thread gets work.
        int mcMax = GemmBlocking.RoundUp(Math.Min(GemmBlocking.Mc, (m + 2 * threads - 1) / (2 * threads)), mr);
        // All k blocks of nc columns stay packed at once (B is shared, not re-packed per thread): cap at 4M floats.
        int ncCap = Math.Max(nr, (int)Math.Min(int.MaxValue, (4L << 20) / Math.Max(1, k)) / nr * nr);
        int ncMax = GemmBlocking.RoundUp(Math.Min(Math.Min(GemmBlocking.Nc * 2, ncCap), n), nr);
        int rowBlocks = (m + mcMax - 1) / mcMax;
        int panels = (ncMax + nr - 1) / nr;
        // At least one column group per thread, so threads pack different parts of B at the same time; but a
        // small B (a 128x128 weight) packs in a few microseconds, and each group re-packs every A row block, so
        // then one group is enough when the row blocks alone give every thread work (MLP layers, B = 1024: A
        // packed once rather than twice; same sums, only the chunking differs).
        bool smallB = (long)k * n <= SmallPackedB && rowBlocks >= 2 * threads;
        int groups = smallB ? 1 : Math.Clamp(Math.Max(threads, (4 * threads + rowBlocks - 1) / rowBlocks), 1, panels);
        int panelsPerGroup = (panels + groups - 1) / groups;
        groups = (panels + panelsPerGroup - 1) / panelsPerGroup;
        int groupCols = panelsPerGroup * nr;
        float* packB = ScratchBuffers.Get(ScratchSlot.PackB, (long)kBlocks * kcMax * ncMax);
        int[] state = new int[kBlocks * groups]; // per (k block, group): 0 unpacked, 1 packing, 2 ready
        nint pa = (nint)a, pb = (nint)b, pcc = (nint)c, pB = (nint)packB;

        for (int jc = 0; jc < n; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n - jc), jc0 = jc;
            if (jc > 0) Array.Clear(state);
            WorkerPool.For(rowBlocks * groups, threads, q =>
            {
                int ic = q / groups * mcMax, grp = q % groups;
                int j0 = grp * groupCols;
                if (j0 >= nc) return;
                int mc = Math.Min(mcMax, m - ic), cols = Math.Min(nc, j0 + groupCols) - j0;
                float* packA = ScratchBuffers.Get(ScratchSlot.PackA, (long)mcMax * kcMax);
                float* cChunk = (float*)pcc + ic * ldc + jc0 + j0;
                if (ep.HasBias) ep.FillBias(cChunk, ldc, mc, jc0 + j0, cols);
                for (int kb = 0; kb < kBlocks; kb++)
                {
                    int pc = kb * kcMax, kc = Math.Min(kcMax, k - pc);
                    // B block (kb, grp): rows pc..pc+kc, columns j0..j0+cols, at a fixed place in the shared buffer.
                    float* bBlock = (float*)pB + (nint)kb * kcMax * ncMax + (nint)j0 * kc;
                    ref int st = ref state[kb * groups + grp];
                    if (Volatile.Read(ref st) != 2)
                    {
                        if (Interlocked.CompareExchange(ref st, 1, 0) == 0)
                        {
                            GemmPacking.PackB(transB, (float*)pb, ldb, pc, kc, jc0 + j0, cols, bBlock, nr);
                            Volatile.Write(ref st, 2);
                        }
                        else
                        {
                            // Another thread is packing it right now (it never waits on us): spin, yielding
                            // but never sleeping a whole millisecond (-1 turns off SpinWait's Sleep(1)).
                            var spin = new SpinWait();
                            while (Volatile.Read(ref st) != 2) spin.SpinOnce(sleep1Threshold: -1);
                        }
                    }
                    GemmPacking.PackA(transA, (float*)pa, lda, ic, mc, pc, kc, packA, mr);
                    Macro(kc, mc, cols, packA, bBlock, cChunk, ldc, accumulate || kb > 0 || ep.HasBias);
                }
                if (ep.HasTail) ep.Finish(cChunk, ldc, ic, mc, jc0 + j0, cols);
            });
        }
    }

    /// <summary>Floats of op(B) below which one thread packs all of it (see RunParallel).</summary>
    private const long SmallPackedB = 64 * 1024;

    /// <summary>C[mc x nc] (+)= packed A block x packed B block: jr over NR panels, ir over MR panels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Macro(int kc, int mc, int nc, float* packA, float* packB, float* c, nint ldc, bool add)
    {
        int mr = TK.MR, nr = TK.NR;
        float* tile = stackalloc float[mr * nr];
        for (int jr = 0; jr < nc; jr += nr)
        {
            int nrEff = Math.Min(nr, nc - jr);
            float* bp = packB + (nint)jr * kc;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int mrEff = Math.Min(mr, mc - ir);
                float* ap = packA + (nint)ir * kc;
                float* cp = c + ir * ldc + jr;
                if (mrEff == mr && nrEff == nr)
                {
                    TK.Run(kc, ap, bp, cp, ldc, add);
                    continue;
                }
                TK.Run(kc, ap, bp, tile, nr, false);
                for (int i = 0; i < mrEff; i++)
                {
                    float* ci = cp + i * ldc;
                    float* ti = tile + i * nr;
                    if (add) for (int j = 0; j < nrEff; j++) ci[j] += ti[j];
                    else for (int j = 0; j < nrEff; j++) ci[j] = ti[j];
                }
            }
        }
    }
}
