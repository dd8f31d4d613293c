namespace Course.Torch.Kernels;

/// <summary>
/// Single-precision matrix multiply on row-major data: C = op(A) · op(B) (+ C when accumulate).
/// op(A) is m×k, op(B) is k×n, C is m×n. lda/ldb/ldc are row strides of the stored matrices.
/// </summary>
public static class Gemm
{
    public static void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate)
    {
        // Reference implementation; replaced by the blocked SIMD kernel.
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += av * bv;
                }
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum;
            }
        }
    }
}
