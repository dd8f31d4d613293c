using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Course.Torch.Kernels;

/// <summary>AVX2+FMA register tile: 6 rows x 16 columns, 12 ymm accumulators (fits the 16 ymm registers).</summary>
internal struct MicroKernelAvx2 : IMicroKernel
{
    public static int MR => 6;
    public static int NR => 2 * 8;
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>C[MR x NR] (row stride ldc) = (add ? C : 0) + Ap(kc x MR) * Bp(kc x NR); both panels packed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        Vector256<float> c0_0 = default; Vector256<float> c0_1 = default;
        Vector256<float> c1_0 = default; Vector256<float> c1_1 = default;
        Vector256<float> c2_0 = default; Vector256<float> c2_1 = default;
        Vector256<float> c3_0 = default; Vector256<float> c3_1 = default;
        Vector256<float> c4_0 = default; Vector256<float> c4_1 = default;
        Vector256<float> c5_0 = default; Vector256<float> c5_1 = default;
        int p = 0;
        // Unrolled by 4: the loop counter and pointer bumps are a visible share of a 12-FMA body.
        for (; p + 4 <= kc; p += 4)
        {
            {
                Vector256<float> b0 = Vector256.Load(b);
                Vector256<float> b1 = Vector256.Load(b + 8);
                Vector256<float> a0 = Vector256.Create(a[0]);
                c0_0 = Fma.MultiplyAdd(a0, b0, c0_0);
                c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
                Vector256<float> a1 = Vector256.Create(a[1]);
                c1_0 = Fma.MultiplyAdd(a1, b0, c1_0);
                c1_1 = Fma.MultiplyAdd(a1, b1, c1_1);
                Vector256<float> a2 = Vector256.Create(a[2]);
                c2_0 = Fma.MultiplyAdd(a2, b0, c2_0);
                c2_1 = Fma.MultiplyAdd(a2, b1, c2_1);
                Vector256<float> a3 = Vector256.Create(a[3]);
                c3_0 = Fma.MultiplyAdd(a3, b0, c3_0);
                c3_1 = Fma.MultiplyAdd(a3, b1, c3_1);
                Vector256<float> a4 = Vector256.Create(a[4]);
                c4_0 = Fma.MultiplyAdd(a4, b0, c4_0);
                c4_1 = Fma.MultiplyAdd(a4, b1, c4_1);
                Vector256<float> a5 = Vector256.Create(a[5]);
                c5_0 = Fma.MultiplyAdd(a5, b0, c5_0);
                c5_1 = Fma.MultiplyAdd(a5, b1, c5_1);
            }
            {
                Vector256<float> b0 = Vector256.Load(b + 16);
                Vector256<float> b1 = Vector256.Load(b + 24);
                Vector256<float> a0 = Vector256.Create(a[6]);
                c0_0 = Fma.MultiplyAdd(a0, b0, c0_0);
                c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
                Vector256<float> a1 = Vector256.Create(a[7]);
                c1_0 = Fma.MultiplyAdd(a1, b0, c1_0);
                c1_1 = Fma.MultiplyAdd(a1, b1, c1_1);
                Vector256<float> a2 = Vector256.Create(a[8]);
                c2_0 = Fma.MultiplyAdd(a2, b0, c2_0);
                c2_1 = Fma.MultiplyAdd(a2, b1, c2_1);
                Vector256<float> a3 = Vector256.Create(a[9]);
                c3_0 = Fma.MultiplyAdd(a3, b0, c3_0);
                c3_1 = Fma.MultiplyAdd(a3, b1, c3_1);
                Vector256<float> a4 = Vector256.Create(a[10]);
                c4_0 = Fma.MultiplyAdd(a4, b0, c4_0);
                c4_1 = Fma.MultiplyAdd(a4, b1, c4_1);
                Vector256<float> a5 = Vector256.Create(a[11]);
                c5_0 = Fma.MultiplyAdd(a5, b0, c5_0);
                c5_1 = Fma.MultiplyAdd(a5, b1, c5_1);
            }
            {
                Vector256<float> b0 = Vector256.Load(b + 32);
                Vector256<float> b1 = Vector256.Load(b + 40);
                Vector256<float> a0 = Vector256.Create(a[12]);
                c0_0 = Fma.MultiplyAdd(a0, b0, c0_0);
                c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
                Vector256<float> a1 = Vector256.Create(a[13]);
                c1_0 = Fma.MultiplyAdd(a1, b0, c1_0);
                c1_1 = Fma.MultiplyAdd(a1, b1, c1_1);
                Vector256<float> a2 = Vector256.Create(a[14]);
                c2_0 = Fma.MultiplyAdd(a2, b0, c2_0);
                c2_1 = Fma.MultiplyAdd(a2, b1, c2_1);
                Vector256<float> a3 = Vector256.Create(a[15]);
                c3_0 = Fma.MultiplyAdd(a3, b0, c3_0);
                c3_1 = Fma.MultiplyAdd(a3, b1, c3_1);
                Vector256<float> a4 = Vector256.Create(a[16]);
                c4_0 = Fma.MultiplyAdd(a4, b0, c4_0);
                c4_1 = Fma.MultiplyAdd(a4, b1, c4_1);
                Vector256<float> a5 = Vector256.Create(a[17]);
                c5_0 = Fma.MultiplyAdd(a5, b0, c5_0);
                c5_1 = Fma.MultiplyAdd(a5, b1, c5_1);
            }
            {
                Vector256<float> b0 = Vector256.Load(b + 48);
                Vector256<float> b1 = Vector256.Load(b + 56);
                Vector256<float> a0 = Vector256.Create(a[18]);
                c0_0 = Fma.MultiplyAdd(a0, b0, c0_0);
                c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
                Vector256<float> a1 = Vector256.Create(a[19]);
                c1_0 = Fma.MultiplyAdd(a1, b0, c1_0);
                c1_1 = Fma.MultiplyAdd(a1, b1, c1_1);
                Vector256<float> a2 = Vector256.Create(a[20]);
                c2_0 = Fma.MultiplyAdd(a2, b0, c2_0);
                c2_1 = Fma.MultiplyAdd(a2, b1, c2_1);
                Vector256<float> a3 = Vector256.Create(a[21]);
                c3_0 = Fma.MultiplyAdd(a3, b0, c3_0);
                c3_1 = Fma.MultiplyAdd(a3, b1, c3_1);
                Vector256<float> a4 = Vector256.Create(a[22]);
                c4_0 = Fma.MultiplyAdd(a4, b0, c4_0);
                c4_1 = Fma.MultiplyAdd(a4, b1, c4_1);
                Vector256<float> a5 = Vector256.Create(a[23]);
                c5_0 = Fma.MultiplyAdd(a5, b0, c5_0);
                c5_1 = Fma.MultiplyAdd(a5, b1, c5_1);
            }
            a += 24;
            b += 64;
        }
        for (; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 1 * 8);
            Vector256<float> a0 = Vector256.Create(a[0]);
            c0_0 = Fma.MultiplyAdd(a0, b0, c0_0);
            c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
            Vector256<float> a1 = Vector256.Create(a[1]);
            c1_0 = Fma.MultiplyAdd(a1, b0, c1_0);
            c1_1 = Fma.MultiplyAdd(a1, b1, c1_1);
            Vector256<float> a2 = Vector256.Create(a[2]);
            c2_0 = Fma.MultiplyAdd(a2, b0, c2_0);
            c2_1 = Fma.MultiplyAdd(a2, b1, c2_1);
            Vector256<float> a3 = Vector256.Create(a[3]);
            c3_0 = Fma.MultiplyAdd(a3, b0, c3_0);
            c3_1 = Fma.MultiplyAdd(a3, b1, c3_1);
            Vector256<float> a4 = Vector256.Create(a[4]);
            c4_0 = Fma.MultiplyAdd(a4, b0, c4_0);
            c4_1 = Fma.MultiplyAdd(a4, b1, c4_1);
            Vector256<float> a5 = Vector256.Create(a[5]);
            c5_0 = Fma.MultiplyAdd(a5, b0, c5_0);
            c5_1 = Fma.MultiplyAdd(a5, b1, c5_1);
            a += 6;
            b += 2 * 8;
        }
        if (add)
        {
            c0_0 += Vector256.Load(c + 0 * ldc);
            c0_1 += Vector256.Load(c + 0 * ldc + 1 * 8);
            c1_0 += Vector256.Load(c + 1 * ldc);
            c1_1 += Vector256.Load(c + 1 * ldc + 1 * 8);
            c2_0 += Vector256.Load(c + 2 * ldc);
            c2_1 += Vector256.Load(c + 2 * ldc + 1 * 8);
            c3_0 += Vector256.Load(c + 3 * ldc);
            c3_1 += Vector256.Load(c + 3 * ldc + 1 * 8);
            c4_0 += Vector256.Load(c + 4 * ldc);
            c4_1 += Vector256.Load(c + 4 * ldc + 1 * 8);
            c5_0 += Vector256.Load(c + 5 * ldc);
            c5_1 += Vector256.Load(c + 5 * ldc + 1 * 8);
        }
        c0_0.Store(c + 0 * ldc);
        c0_1.Store(c + 0 * ldc + 1 * 8);
        c1_0.Store(c + 1 * ldc);
        c1_1.Store(c + 1 * ldc + 1 * 8);
        c2_0.Store(c + 2 * ldc);
        c2_1.Store(c + 2 * ldc + 1 * 8);
        c3_0.Store(c + 3 * ldc);
        c3_1.Store(c + 3 * ldc + 1 * 8);
        c4_0.Store(c + 4 * ldc);
        c4_1.Store(c + 4 * ldc + 1 * 8);
        c5_0.Store(c + 5 * ldc);
        c5_1.Store(c + 5 * ldc + 1 * 8);
    }
}
