using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Course.Torch.Kernels;

/// <summary>Portable register tile: 6 rows x 2 Vector&lt;float&gt; columns. Multiply-add is fused where the CPU has it (ARM64 FMLA, x86 FMA) and separate otherwise.</summary>
internal struct MicroKernelPortable : IMicroKernel
{
    public static int MR => 6;
    public static int NR => 2 * Vector<float>.Count;
    public static bool IsSupported => true;

    /// <summary>C[MR x NR] (row stride ldc) = (add ? C : 0) + Ap(kc x MR) * Bp(kc x NR); both panels packed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        Vector<float> c0_0 = default; Vector<float> c0_1 = default;
        Vector<float> c1_0 = default; Vector<float> c1_1 = default;
        Vector<float> c2_0 = default; Vector<float> c2_1 = default;
        Vector<float> c3_0 = default; Vector<float> c3_1 = default;
        Vector<float> c4_0 = default; Vector<float> c4_1 = default;
        Vector<float> c5_0 = default; Vector<float> c5_1 = default;
        int p = 0;
        // Unrolled by 4: the loop counter and pointer bumps are a visible share of a 12-FMA body.
        for (; p + 4 <= kc; p += 4)
        {
            {
                Vector<float> b0 = Vector.Load(b);
                Vector<float> b1 = Vector.Load(b + (0 * 2 + 1) * Vector<float>.Count);
                Vector<float> a0 = new Vector<float>(a[0]);
                c0_0 = Vector.MultiplyAddEstimate(a0, b0, c0_0);
                c0_1 = Vector.MultiplyAddEstimate(a0, b1, c0_1);
                Vector<float> a1 = new Vector<float>(a[1]);
                c1_0 = Vector.MultiplyAddEstimate(a1, b0, c1_0);
                c1_1 = Vector.MultiplyAddEstimate(a1, b1, c1_1);
                Vector<float> a2 = new Vector<float>(a[2]);
                c2_0 = Vector.MultiplyAddEstimate(a2, b0, c2_0);
                c2_1 = Vector.MultiplyAddEstimate(a2, b1, c2_1);
                Vector<float> a3 = new Vector<float>(a[3]);
                c3_0 = Vector.MultiplyAddEstimate(a3, b0, c3_0);
                c3_1 = Vector.MultiplyAddEstimate(a3, b1, c3_1);
                Vector<float> a4 = new Vector<float>(a[4]);
                c4_0 = Vector.MultiplyAddEstimate(a4, b0, c4_0);
                c4_1 = Vector.MultiplyAddEstimate(a4, b1, c4_1);
                Vector<float> a5 = new Vector<float>(a[5]);
                c5_0 = Vector.MultiplyAddEstimate(a5, b0, c5_0);
                c5_1 = Vector.MultiplyAddEstimate(a5, b1, c5_1);
            }
            {
                Vector<float> b0 = Vector.Load(b + 1 * 2 * Vector<float>.Count);
                Vector<float> b1 = Vector.Load(b + (1 * 2 + 1) * Vector<float>.Count);
                Vector<float> a0 = new Vector<float>(a[6]);
                c0_0 = Vector.MultiplyAddEstimate(a0, b0, c0_0);
                c0_1 = Vector.MultiplyAddEstimate(a0, b1, c0_1);
                Vector<float> a1 = new Vector<float>(a[7]);
                c1_0 = Vector.MultiplyAddEstimate(a1, b0, c1_0);
                c1_1 = Vector.MultiplyAddEstimate(a1, b1, c1_1);
                Vector<float> a2 = new Vector<float>(a[8]);
                c2_0 = Vector.MultiplyAddEstimate(a2, b0, c2_0);
                c2_1 = Vector.MultiplyAddEstimate(a2, b1, c2_1);
                Vector<float> a3 = new Vector<float>(a[9]);
                c3_0 = Vector.MultiplyAddEstimate(a3, b0, c3_0);
                c3_1 = Vector.MultiplyAddEstimate(a3, b1, c3_1);
                Vector<float> a4 = new Vector<float>(a[10]);
                c4_0 = Vector.MultiplyAddEstimate(a4, b0, c4_0);
                c4_1 = Vector.MultiplyAddEstimate(a4, b1, c4_1);
                Vector<float> a5 = new Vector<float>(a[11]);
                c5_0 = Vector.MultiplyAddEstimate(a5, b0, c5_0);
                c5_1 = Vector.MultiplyAddEstimate(a5, b1, c5_1);
            }
            {
                Vector<float> b0 = Vector.Load(b + 2 * 2 * Vector<float>.Count);
                Vector<float> b1 = Vector.Load(b + (2 * 2 + 1) * Vector<float>.Count);
                Vector<float> a0 = new Vector<float>(a[12]);
                c0_0 = Vector.MultiplyAddEstimate(a0, b0, c0_0);
                c0_1 = Vector.MultiplyAddEstimate(a0, b1, c0_1);
                Vector<float> a1 = new Vector<float>(a[13]);
                c1_0 = Vector.MultiplyAddEstimate(a1, b0, c1_0);
                c1_1 = Vector.MultiplyAddEstimate(a1, b1, c1_1);
                Vector<float> a2 = new Vector<float>(a[14]);
                c2_0 = Vector.MultiplyAddEstimate(a2, b0, c2_0);
                c2_1 = Vector.MultiplyAddEstimate(a2, b1, c2_1);
                Vector<float> a3 = new Vector<float>(a[15]);
                c3_0 = Vector.MultiplyAddEstimate(a3, b0, c3_0);
                c3_1 = Vector.MultiplyAddEstimate(a3, b1, c3_1);
                Vector<float> a4 = new Vector<float>(a[16]);
                c4_0 = Vector.MultiplyAddEstimate(a4, b0, c4_0);
                c4_1 = Vector.MultiplyAddEstimate(a4, b1, c4_1);
                Vector<float> a5 = new Vector<float>(a[17]);
                c5_0 = Vector.MultiplyAddEstimate(a5, b0, c5_0);
                c5_1 = Vector.MultiplyAddEstimate(a5, b1, c5_1);
            }
            {
                Vector<float> b0 = Vector.Load(b + 3 * 2 * Vector<float>.Count);
                Vector<float> b1 = Vector.Load(b + (3 * 2 + 1) * Vector<float>.Count);
                Vector<float> a0 = new Vector<float>(a[18]);
                c0_0 = Vector.MultiplyAddEstimate(a0, b0, c0_0);
                c0_1 = Vector.MultiplyAddEstimate(a0, b1, c0_1);
                Vector<float> a1 = new Vector<float>(a[19]);
                c1_0 = Vector.MultiplyAddEstimate(a1, b0, c1_0);
                c1_1 = Vector.MultiplyAddEstimate(a1, b1, c1_1);
                Vector<float> a2 = new Vector<float>(a[20]);
                c2_0 = Vector.MultiplyAddEstimate(a2, b0, c2_0);
                c2_1 = Vector.MultiplyAddEstimate(a2, b1, c2_1);
                Vector<float> a3 = new Vector<float>(a[21]);
                c3_0 = Vector.MultiplyAddEstimate(a3, b0, c3_0);
                c3_1 = Vector.MultiplyAddEstimate(a3, b1, c3_1);
                Vector<float> a4 = new Vector<float>(a[22]);
                c4_0 = Vector.MultiplyAddEstimate(a4, b0, c4_0);
                c4_1 = Vector.MultiplyAddEstimate(a4, b1, c4_1);
                Vector<float> a5 = new Vector<float>(a[23]);
                c5_0 = Vector.MultiplyAddEstimate(a5, b0, c5_0);
                c5_1 = Vector.MultiplyAddEstimate(a5, b1, c5_1);
            }
            a += 24;
            b += 8 * Vector<float>.Count;
        }
        for (; p < kc; p++)
        {
            Vector<float> b0 = Vector.Load(b);
            Vector<float> b1 = Vector.Load(b + 1 * Vector<float>.Count);
            Vector<float> a0 = new Vector<float>(a[0]);
            c0_0 = Vector.MultiplyAddEstimate(a0, b0, c0_0);
            c0_1 = Vector.MultiplyAddEstimate(a0, b1, c0_1);
            Vector<float> a1 = new Vector<float>(a[1]);
            c1_0 = Vector.MultiplyAddEstimate(a1, b0, c1_0);
            c1_1 = Vector.MultiplyAddEstimate(a1, b1, c1_1);
            Vector<float> a2 = new Vector<float>(a[2]);
            c2_0 = Vector.MultiplyAddEstimate(a2, b0, c2_0);
            c2_1 = Vector.MultiplyAddEstimate(a2, b1, c2_1);
            Vector<float> a3 = new Vector<float>(a[3]);
            c3_0 = Vector.MultiplyAddEstimate(a3, b0, c3_0);
            c3_1 = Vector.MultiplyAddEstimate(a3, b1, c3_1);
            Vector<float> a4 = new Vector<float>(a[4]);
            c4_0 = Vector.MultiplyAddEstimate(a4, b0, c4_0);
            c4_1 = Vector.MultiplyAddEstimate(a4, b1, c4_1);
            Vector<float> a5 = new Vector<float>(a[5]);
            c5_0 = Vector.MultiplyAddEstimate(a5, b0, c5_0);
            c5_1 = Vector.MultiplyAddEstimate(a5, b1, c5_1);
            a += 6;
            b += 2 * Vector<float>.Count;
        }
        if (add)
        {
            c0_0 += Vector.Load(c + 0 * ldc);
            c0_1 += Vector.Load(c + 0 * ldc + 1 * Vector<float>.Count);
            c1_0 += Vector.Load(c + 1 * ldc);
            c1_1 += Vector.Load(c + 1 * ldc + 1 * Vector<float>.Count);
            c2_0 += Vector.Load(c + 2 * ldc);
            c2_1 += Vector.Load(c + 2 * ldc + 1 * Vector<float>.Count);
            c3_0 += Vector.Load(c + 3 * ldc);
            c3_1 += Vector.Load(c + 3 * ldc + 1 * Vector<float>.Count);
            c4_0 += Vector.Load(c + 4 * ldc);
            c4_1 += Vector.Load(c + 4 * ldc + 1 * Vector<float>.Count);
            c5_0 += Vector.Load(c + 5 * ldc);
            c5_1 += Vector.Load(c + 5 * ldc + 1 * Vector<float>.Count);
        }
        c0_0.Store(c + 0 * ldc);
        c0_1.Store(c + 0 * ldc + 1 * Vector<float>.Count);
        c1_0.Store(c + 1 * ldc);
        c1_1.Store(c + 1 * ldc + 1 * Vector<float>.Count);
        c2_0.Store(c + 2 * ldc);
        c2_1.Store(c + 2 * ldc + 1 * Vector<float>.Count);
        c3_0.Store(c + 3 * ldc);
        c3_1.Store(c + 3 * ldc + 1 * Vector<float>.Count);
        c4_0.Store(c + 4 * ldc);
        c4_1.Store(c + 4 * ldc + 1 * Vector<float>.Count);
        c5_0.Store(c + 5 * ldc);
        c5_1.Store(c + 5 * ldc + 1 * Vector<float>.Count);
    }
}
