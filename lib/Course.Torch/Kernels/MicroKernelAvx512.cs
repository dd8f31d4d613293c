using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Course.Torch.Kernels;

/// <summary>AVX-512F register tile: 8 rows x 32 columns, 16 zmm accumulators (8 divides the usual 64/128/256 channel counts, so few ragged tiles).</summary>
internal struct MicroKernelAvx512 : IMicroKernel
{
    public static int MR => 8;
    public static int NR => 2 * 16;
    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>C[MR x NR] (row stride ldc) = (add ? C : 0) + Ap(kc x MR) * Bp(kc x NR); both panels packed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        Vector512<float> c0_0 = default; Vector512<float> c0_1 = default;
        Vector512<float> c1_0 = default; Vector512<float> c1_1 = default;
        Vector512<float> c2_0 = default; Vector512<float> c2_1 = default;
        Vector512<float> c3_0 = default; Vector512<float> c3_1 = default;
        Vector512<float> c4_0 = default; Vector512<float> c4_1 = default;
        Vector512<float> c5_0 = default; Vector512<float> c5_1 = default;
        Vector512<float> c6_0 = default; Vector512<float> c6_1 = default;
        Vector512<float> c7_0 = default; Vector512<float> c7_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 1 * 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c0_0 = Avx512F.FusedMultiplyAdd(a0, b0, c0_0);
            c0_1 = Avx512F.FusedMultiplyAdd(a0, b1, c0_1);
            Vector512<float> a1 = Vector512.Create(a[1]);
            c1_0 = Avx512F.FusedMultiplyAdd(a1, b0, c1_0);
            c1_1 = Avx512F.FusedMultiplyAdd(a1, b1, c1_1);
            Vector512<float> a2 = Vector512.Create(a[2]);
            c2_0 = Avx512F.FusedMultiplyAdd(a2, b0, c2_0);
            c2_1 = Avx512F.FusedMultiplyAdd(a2, b1, c2_1);
            Vector512<float> a3 = Vector512.Create(a[3]);
            c3_0 = Avx512F.FusedMultiplyAdd(a3, b0, c3_0);
            c3_1 = Avx512F.FusedMultiplyAdd(a3, b1, c3_1);
            Vector512<float> a4 = Vector512.Create(a[4]);
            c4_0 = Avx512F.FusedMultiplyAdd(a4, b0, c4_0);
            c4_1 = Avx512F.FusedMultiplyAdd(a4, b1, c4_1);
            Vector512<float> a5 = Vector512.Create(a[5]);
            c5_0 = Avx512F.FusedMultiplyAdd(a5, b0, c5_0);
            c5_1 = Avx512F.FusedMultiplyAdd(a5, b1, c5_1);
            Vector512<float> a6 = Vector512.Create(a[6]);
            c6_0 = Avx512F.FusedMultiplyAdd(a6, b0, c6_0);
            c6_1 = Avx512F.FusedMultiplyAdd(a6, b1, c6_1);
            Vector512<float> a7 = Vector512.Create(a[7]);
            c7_0 = Avx512F.FusedMultiplyAdd(a7, b0, c7_0);
            c7_1 = Avx512F.FusedMultiplyAdd(a7, b1, c7_1);
            a += 8;
            b += 2 * 16;
        }
        if (add)
        {
            c0_0 += Vector512.Load(c + 0 * ldc);
            c0_1 += Vector512.Load(c + 0 * ldc + 1 * 16);
            c1_0 += Vector512.Load(c + 1 * ldc);
            c1_1 += Vector512.Load(c + 1 * ldc + 1 * 16);
            c2_0 += Vector512.Load(c + 2 * ldc);
            c2_1 += Vector512.Load(c + 2 * ldc + 1 * 16);
            c3_0 += Vector512.Load(c + 3 * ldc);
            c3_1 += Vector512.Load(c + 3 * ldc + 1 * 16);
            c4_0 += Vector512.Load(c + 4 * ldc);
            c4_1 += Vector512.Load(c + 4 * ldc + 1 * 16);
            c5_0 += Vector512.Load(c + 5 * ldc);
            c5_1 += Vector512.Load(c + 5 * ldc + 1 * 16);
            c6_0 += Vector512.Load(c + 6 * ldc);
            c6_1 += Vector512.Load(c + 6 * ldc + 1 * 16);
            c7_0 += Vector512.Load(c + 7 * ldc);
            c7_1 += Vector512.Load(c + 7 * ldc + 1 * 16);
        }
        c0_0.Store(c + 0 * ldc);
        c0_1.Store(c + 0 * ldc + 1 * 16);
        c1_0.Store(c + 1 * ldc);
        c1_1.Store(c + 1 * ldc + 1 * 16);
        c2_0.Store(c + 2 * ldc);
        c2_1.Store(c + 2 * ldc + 1 * 16);
        c3_0.Store(c + 3 * ldc);
        c3_1.Store(c + 3 * ldc + 1 * 16);
        c4_0.Store(c + 4 * ldc);
        c4_1.Store(c + 4 * ldc + 1 * 16);
        c5_0.Store(c + 5 * ldc);
        c5_1.Store(c + 5 * ldc + 1 * 16);
        c6_0.Store(c + 6 * ldc);
        c6_1.Store(c + 6 * ldc + 1 * 16);
        c7_0.Store(c + 7 * ldc);
        c7_1.Store(c + 7 * ldc + 1 * 16);
    }
}
