using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Course.Torch.Kernels;

/// <summary>
/// AVX 8x8 transposes for packing: turns 8 source rows (contiguous along k) into k-major groups of 8,
/// the layout both a transposed B panel and a row-major A panel need. About 3 shuffles per 8 floats
/// instead of 8 scalar loads and stores.
/// </summary>
internal static unsafe class Transpose8
{
    public static bool IsSupported => Avx.IsSupported;

    /// <summary>dst[p*dstStride + i] = src[i*lds + p] for i &lt; 8, p &lt; kc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows8(float* src, nint lds, int kc, float* dst, nint dstStride)
    {
        float* s0 = src, s1 = s0 + lds, s2 = s1 + lds, s3 = s2 + lds, s4 = s3 + lds, s5 = s4 + lds, s6 = s5 + lds, s7 = s6 + lds;
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            var r0 = Avx.LoadVector256(s0 + p); var r1 = Avx.LoadVector256(s1 + p);
            var r2 = Avx.LoadVector256(s2 + p); var r3 = Avx.LoadVector256(s3 + p);
            var r4 = Avx.LoadVector256(s4 + p); var r5 = Avx.LoadVector256(s5 + p);
            var r6 = Avx.LoadVector256(s6 + p); var r7 = Avx.LoadVector256(s7 + p);
            var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
            var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
            var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
            var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
            var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
            float* d = dst + p * dstStride;
            Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(d + dstStride, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(d + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(d + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(d + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(d + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(d + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(d + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
        }
        for (; p < kc; p++)
        {
            float* d = dst + p * dstStride;
            d[0] = s0[p]; d[1] = s1[p]; d[2] = s2[p]; d[3] = s3[p];
            d[4] = s4[p]; d[5] = s5[p]; d[6] = s6[p]; d[7] = s7[p];
        }
    }
}
