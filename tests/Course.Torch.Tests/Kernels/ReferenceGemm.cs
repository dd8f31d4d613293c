namespace Course.Torch.Tests.Kernels;

/// <summary>The original naive Sgemm, kept as the oracle; also returns sum |a||b| per element for tolerances.</summary>
internal static class ReferenceGemm
{
    public static void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate, Span<double> magnitude)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, mag = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)av * bv;
                    mag += Math.Abs((double)av * bv);
                }
                if (accumulate) { mag += Math.Abs(c[i * ldc + j]); sum += c[i * ldc + j]; }
                c[i * ldc + j] = (float)sum;
                magnitude[i * ldc + j] = mag;
            }
        }
    }
}
