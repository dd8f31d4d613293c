using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Course.Torch.Kernels;

/// <summary>Which SIMD micro-kernel a GEMM uses. Tests force each one; callers get <see cref="Best"/>.</summary>
internal enum GemmIsa
{
    /// <summary>Vector&lt;float&gt; with multiply-add: any CPU (ARM64 NEON, x86 without AVX2).</summary>
    Portable,
    /// <summary>x86 AVX2 + FMA, 6x16 register tile.</summary>
    Avx2,
    /// <summary>x86 AVX-512F, 8x32 register tile.</summary>
    Avx512,
}

internal static class GemmIsas
{
    /// <summary>The fastest kernel this CPU supports.</summary>
    public static readonly GemmIsa Best =
        Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? GemmIsa.Avx512
        : Avx2.IsSupported && Fma.IsSupported ? GemmIsa.Avx2
        : GemmIsa.Portable;

    public static bool IsSupported(GemmIsa isa) => isa switch
    {
        GemmIsa.Avx512 => Avx512F.IsSupported,
        GemmIsa.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        _ => true,
    };

    public static string Describe(GemmIsa isa) => isa switch
    {
        GemmIsa.Avx512 => $"AVX-512F {MicroKernelAvx512.MR}x{MicroKernelAvx512.NR}",
        GemmIsa.Avx2 => $"AVX2+FMA {MicroKernelAvx2.MR}x{MicroKernelAvx2.NR}",
        _ => $"Vector<float>[{Vector<float>.Count}] {MicroKernelPortable.MR}x{MicroKernelPortable.NR}",
    };
}
