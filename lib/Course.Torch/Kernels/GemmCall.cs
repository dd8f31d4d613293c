namespace Course.Torch.Kernels;

/// <summary>
/// One GEMM after validation: picks the direct or blocked path and the threads. Blocked products share
/// packed B across threads (<see cref="GemmBlocked{TK}.RunParallel"/>); direct ones split C's rows (or
/// columns, when C is one or two rows) into contiguous parts, one per thread.
/// </summary>
internal readonly unsafe struct GemmCall(bool transA, bool transB, int m, int n, int k,
    nint a, nint lda, nint b, nint ldb, nint c, nint ldc, bool accumulate, GemmIsa isa, bool direct,
    GemmEpilogue ep = default)
{
    public void Run(int threads)
    {
        float* pa = (float*)a, pb = (float*)b, pc = (float*)c;
        if (direct && !ep.IsEmpty)
        {
            // Direct products are skinny and cheap: bias and relu as passes over the whole of C.
            if (ep.HasBias) ep.FillBias(pc, ldc, m, 0, n);
            new GemmCall(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate || ep.HasBias, isa, direct).Run(threads);
            if (ep.HasTail) ep.Finish(pc, ldc, 0, m, 0, n);
            return;
        }
        if (threads <= 1) RunSerial(pa, pb, pc);
        else if (!direct)
        {
            if (isa == GemmIsa.Avx512) GemmBlocked<MicroKernelAvx512>.RunParallel(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, threads, ep);
            else if (isa == GemmIsa.Avx2) GemmBlocked<MicroKernelAvx2>.RunParallel(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, threads, ep);
            else GemmBlocked<MicroKernelPortable>.RunParallel(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, threads, ep);
        }
        else
        {
            var self = this;
            int parts = Math.Min(threads, Math.Max(m, n));
            WorkerPool.For(parts, parts, p => self.RunDirectPart(p, parts));
        }
    }

    private void RunDirectPart(int part, int parts)
    {
        float* pa = (float*)a, pb = (float*)b, pc = (float*)c;
        bool rows = m >= n;
        int len = rows ? m : n;
        int start = (int)((long)len * part / parts), end = (int)((long)len * (part + 1) / parts);
        if (end <= start) return;
        if (rows)
        {
            pa += transA ? start : start * lda;
            pc += start * ldc;
            GemmDirect.Run(transA, transB, end - start, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
        }
        else
        {
            pb += transB ? start * ldb : start;
            pc += start;
            GemmDirect.Run(transA, transB, m, end - start, k, pa, lda, pb, ldb, pc, ldc, accumulate);
        }
    }

    private void RunSerial(float* pa, float* pb, float* pc)
    {
        if (direct) GemmDirect.Run(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
        else if (isa == GemmIsa.Avx512) GemmBlocked<MicroKernelAvx512>.Run(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, ep);
        else if (isa == GemmIsa.Avx2) GemmBlocked<MicroKernelAvx2>.Run(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, ep);
        else GemmBlocked<MicroKernelPortable>.Run(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, ep);
    }
}
