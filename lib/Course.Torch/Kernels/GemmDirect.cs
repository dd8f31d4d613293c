using System.Numerics;
using System.Runtime.CompilerServices;

namespace Course.Torch.Kernels;

/// <summary>
/// Unpacked GEMM for small or skinny products (m, n or k of a few elements, e.g. the course's 1- and
/// 2-wide layers), where packing would cost more than it saves. Rows of C are independent, so a caller
/// may split rows across threads.
/// </summary>
internal static unsafe class GemmDirect
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(bool transA, bool transB, int m, int n, int k,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate)
    {
        // Three loop orders, each vectorised along a different contiguous dimension: along n (rows of B,
        // copied out first when B is stored transposed and m is big enough to repay the copy), along k
        // (rows of A against columns of B), or along m (columns of A when A is stored transposed).
        if (n >= 8 && (!transB || m >= 4))
        {
            if (transB)
            {
                float* bt = ScratchBuffers.Get(ScratchSlot.SmallB, (long)k * n);
                for (int p = 0; p < k; p++)
                    for (int j = 0; j < n; j++) bt[p * n + j] = b[j * ldb + p];
                b = bt;
                ldb = n;
            }
            RunRowsAxpy(transA, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        }
        else if (!transA) RunDots(transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        else if (m >= 8 * n) RunTransposed(transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        else RunColumnsAxpy(transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    }

    /// <summary>
    /// Aᵀ stored, C narrow and tall (a first layer's weight gradient gᵀX with X of 3 columns): Cᵀ = op(B)ᵀ A
    /// runs as row axpys along m, where A's rows are contiguous, into a scratch Cᵀ that is then written to C.
    /// Measured on the 128x3x1024 product: 55 us on the column path, about 10 us this way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunTransposed(bool transB, int m, int n, int k,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate)
    {
        float* ct = ScratchBuffers.Get(ScratchSlot.Transposed, (long)n * m);
        if (accumulate)
            for (int j = 0; j < n; j++)
                for (int i = 0; i < m; i++) ct[j * m + i] = c[i * ldc + j];
        // op(B)ᵀ is n x k: stored transposed when B is not (B is k x n), as is when B is stored n x k.
        RunRowsAxpy(!transB, n, m, k, b, ldb, a, lda, ct, m, accumulate);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) c[i * ldc + j] = ct[j * m + i];
    }

    /// <summary>C[i,:] (+)= sum_p A(i,p) B[p,:]: B rows are contiguous, four of them per sweep of C's row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunRowsAxpy(bool transA, int m, int n, int k,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate)
    {
        nint sa = transA ? lda : 1;   // step between A(i,p) and A(i,p+1)
        nint ra = transA ? 1 : lda;   // step between A(i,p) and A(i+1,p)
        int vw = Vector<float>.Count;
        for (int i = 0; i < m; i++)
        {
            float* ci = c + i * ldc;
            float* ai = a + i * ra;
            if (!accumulate) new Span<float>(ci, n).Clear();
            int p = 0;
            for (; p + 4 <= k; p += 4)
            {
                float a0 = ai[p * sa], a1 = ai[(p + 1) * sa], a2 = ai[(p + 2) * sa], a3 = ai[(p + 3) * sa];
                float* b0 = b + p * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
                int j = 0;
                if (n >= vw)
                {
                    var va0 = new Vector<float>(a0); var va1 = new Vector<float>(a1);
                    var va2 = new Vector<float>(a2); var va3 = new Vector<float>(a3);
                    for (; j + vw <= n; j += vw)
                    {
                        var acc = Vector.Load(ci + j);
                        acc = Vector.MultiplyAddEstimate(va0, Vector.Load(b0 + j), acc);
                        acc = Vector.MultiplyAddEstimate(va1, Vector.Load(b1 + j), acc);
                        acc = Vector.MultiplyAddEstimate(va2, Vector.Load(b2 + j), acc);
                        acc = Vector.MultiplyAddEstimate(va3, Vector.Load(b3 + j), acc);
                        acc.Store(ci + j);
                    }
                }
                for (; j < n; j++) ci[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            }
            for (; p < k; p++)
            {
                float a0 = ai[p * sa];
                float* b0 = b + p * ldb;
                int j = 0;
                if (n >= vw)
                {
                    var va0 = new Vector<float>(a0);
                    for (; j + vw <= n; j += vw)
                        Vector.MultiplyAddEstimate(va0, Vector.Load(b0 + j), Vector.Load(ci + j)).Store(ci + j);
                }
                for (; j < n; j++) ci[j] += a0 * b0[j];
            }
        }
    }

    /// <summary>C[i,j] (+)= dot(A[i,:], B(:,j)) with A rows contiguous; a strided column of B is gathered once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunDots(bool transB, int m, int n, int k,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate)
    {
        float* col = transB ? null : ScratchBuffers.Get(ScratchSlot.Row, k);
        int j0 = 0;
        if (transB)
        {
            // Two columns per sweep (a layer with 2 outputs): each row of A is loaded once for both dots.
            for (; j0 + 2 <= n; j0 += 2)
            {
                float* b0 = b + j0 * ldb, b1 = b0 + ldb;
                for (int i = 0; i < m; i++)
                {
                    var (s0, s1) = Dot2(a + i * lda, b0, b1, k);
                    float* cij = c + i * ldc + j0;
                    if (accumulate) { cij[0] += s0; cij[1] += s1; }
                    else { cij[0] = s0; cij[1] = s1; }
                }
            }
        }
        for (int j = j0; j < n; j++)
        {
            float* bj;
            if (transB) bj = b + j * ldb;
            else
            {
                for (int p = 0; p < k; p++) col[p] = b[p * ldb + j];
                bj = col;
            }
            for (int i = 0; i < m; i++)
            {
                float s = Dot(a + i * lda, bj, k);
                float* cij = c + i * ldc + j;
                *cij = accumulate ? *cij + s : s;
            }
        }
    }

    /// <summary>C[:,j] (+)= sum_p B(p,j) A[:,p] with A stored k x m (columns contiguous), via a contiguous copy of C[:,j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunColumnsAxpy(bool transB, int m, int n, int k,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate)
    {
        float* acc = ScratchBuffers.Get(ScratchSlot.Row, m);
        int vw = Vector<float>.Count;
        for (int j = 0; j < n; j++)
        {
            if (accumulate) for (int i = 0; i < m; i++) acc[i] = c[i * ldc + j];
            else new Span<float>(acc, m).Clear();
            for (int p = 0; p < k; p++)
            {
                float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                float* ap = a + p * lda;
                int i = 0;
                var vb = new Vector<float>(bv);
                for (; i + vw <= m; i += vw)
                    Vector.MultiplyAddEstimate(vb, Vector.Load(ap + i), Vector.Load(acc + i)).Store(acc + i);
                for (; i < m; i++) acc[i] += bv * ap[i];
            }
            for (int i = 0; i < m; i++) c[i * ldc + j] = acc[i];
        }
    }

    /// <summary>dot(x, y0) and dot(x, y1), each summed in exactly <see cref="Dot"/>'s order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (float, float) Dot2(float* x, float* y0, float* y1, int k)
    {
        int vw = Vector<float>.Count, p = 0;
        float s = 0, t = 0;
        if (k >= 2 * vw)
        {
            Vector<float> s0 = default, s1 = default, t0 = default, t1 = default;
            for (; p + 2 * vw <= k; p += 2 * vw)
            {
                var x0 = Vector.Load(x + p); var x1 = Vector.Load(x + p + vw);
                s0 = Vector.MultiplyAddEstimate(x0, Vector.Load(y0 + p), s0);
                s1 = Vector.MultiplyAddEstimate(x1, Vector.Load(y0 + p + vw), s1);
                t0 = Vector.MultiplyAddEstimate(x0, Vector.Load(y1 + p), t0);
                t1 = Vector.MultiplyAddEstimate(x1, Vector.Load(y1 + p + vw), t1);
            }
            s = Vector.Sum(s0 + s1); t = Vector.Sum(t0 + t1);
        }
        for (; p < k; p++) { s += x[p] * y0[p]; t += x[p] * y1[p]; }
        return (s, t);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(float* x, float* y, int k)
    {
        int vw = Vector<float>.Count, p = 0;
        float s = 0;
        if (k >= 2 * vw)
        {
            Vector<float> s0 = default, s1 = default;
            for (; p + 2 * vw <= k; p += 2 * vw)
            {
                s0 = Vector.MultiplyAddEstimate(Vector.Load(x + p), Vector.Load(y + p), s0);
                s1 = Vector.MultiplyAddEstimate(Vector.Load(x + p + vw), Vector.Load(y + p + vw), s1);
            }
            s = Vector.Sum(s0 + s1);
        }
        for (; p < k; p++) s += x[p] * y[p];
        return s;
    }
}
