using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;

namespace Course.Torch.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the panel layouts the micro-kernels stream: A as MR-row panels
/// (kc x MR, row index fastest), B as NR-column panels (kc x NR). Transposes are absorbed here, and the
/// ragged last panel is zero-padded so the micro-kernel always runs a full tile.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs op(A)[i0..i0+mc, p0..p0+kc] (op(A)(i,p) = transA ? a[p*lda+i] : a[i*lda+p]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(bool transA, float* a, nint lda, int i0, int mc, int p0, int kc, float* dst, int mr)
    {
        for (int ip = 0; ip < mc; ip += mr)
        {
            int rows = Math.Min(mr, mc - ip);
            if (transA)
            {
                float* src = a + (nint)p0 * lda + i0 + ip;
                if (rows == mr)
                {
                    for (int p = 0; p < kc; p++, src += lda, dst += mr)
                        CopyPanelRow(dst, src, mr);
                }
                else
                {
                    for (int p = 0; p < kc; p++, src += lda, dst += mr)
                    {
                        int ii = 0;
                        for (; ii < rows; ii++) dst[ii] = src[ii];
                        for (; ii < mr; ii++) dst[ii] = 0;
                    }
                }
            }
            else
            {
                int ii0 = 0;
                if (Transpose8.IsSupported)
                    for (; ii0 + 8 <= rows; ii0 += 8)
                        Transpose8.Rows8(a + (nint)(i0 + ip + ii0) * lda + p0, lda, kc, dst + ii0, mr);
                for (int ii = ii0; ii < rows; ii++)
                {
                    float* src = a + (nint)(i0 + ip + ii) * lda + p0;
                    float* d = dst + ii;
                    for (int p = 0; p < kc; p++, d += mr) *d = src[p];
                }
                for (int ii = rows; ii < mr; ii++)
                {
                    float* d = dst + ii;
                    for (int p = 0; p < kc; p++, d += mr) *d = 0;
                }
                dst += (nint)kc * mr;
            }
        }
    }

    /// <summary>Packs op(B)[p0..p0+kc, j0..j0+nc] (op(B)(p,j) = transB ? b[j*ldb+p] : b[p*ldb+j]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool transB, float* b, nint ldb, int p0, int kc, int j0, int nc, float* dst, int nr)
    {
        for (int jp = 0; jp < nc; jp += nr)
        {
            int cols = Math.Min(nr, nc - jp);
            if (!transB)
            {
                float* src = b + (nint)p0 * ldb + j0 + jp;
                if (cols == nr)
                {
                    for (int p = 0; p < kc; p++, src += ldb, dst += nr)
                        CopyPanelRow(dst, src, nr);
                }
                else
                {
                    for (int p = 0; p < kc; p++, src += ldb, dst += nr)
                    {
                        int jj = 0;
                        for (; jj < cols; jj++) dst[jj] = src[jj];
                        for (; jj < nr; jj++) dst[jj] = 0;
                    }
                }
            }
            else
            {
                PackTransposed(b + (nint)(j0 + jp) * ldb + p0, ldb, cols, kc, dst, nr);
                dst += (nint)kc * nr;
            }
        }
    }

    /// <summary>
    /// Copies one k-row of a panel (MR or NR floats, 8..32). Inline 256-bit moves: a Memmove call per 32-byte row
    /// cost about a fifth of a transposed-A weight-gradient product (128x128x512) in packing alone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CopyPanelRow(float* dst, float* src, int count)
    {
        if (Vector256.IsHardwareAccelerated && (count & 7) == 0)
        {
            for (int j = 0; j < count; j += 8) Vector256.Store(Vector256.Load(src + j), dst + j);
            return;
        }
        Unsafe.CopyBlockUnaligned(dst, src, (uint)(count * sizeof(float)));
    }

    /// <summary>dst[p*nr + jj] = src[jj*lds + p] for jj &lt; cols (zero for cols &lt;= jj &lt; nr), p &lt; kc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposed(float* src, nint lds, int cols, int kc, float* dst, int nr)
    {
        int jj = 0;
        if (Transpose8.IsSupported)
            for (; jj + 8 <= cols; jj += 8)
                Transpose8.Rows8(src + jj * lds, lds, kc, dst + jj, nr);
        // Four source rows at a time keeps four read streams and short strided writes.
        for (; jj + 4 <= cols; jj += 4)
        {
            float* s0 = src + jj * lds, s1 = s0 + lds, s2 = s1 + lds, s3 = s2 + lds;
            float* d = dst + jj;
            for (int p = 0; p < kc; p++, d += nr)
            {
                d[0] = s0[p]; d[1] = s1[p]; d[2] = s2[p]; d[3] = s3[p];
            }
        }
        for (; jj < cols; jj++)
        {
            float* s = src + jj * lds;
            float* d = dst + jj;
            for (int p = 0; p < kc; p++, d += nr) *d = s[p];
        }
        for (; jj < nr; jj++)
        {
            float* d = dst + jj;
            for (int p = 0; p < kc; p++, d += nr) *d = 0;
        }
    }
}
