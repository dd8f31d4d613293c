namespace Course.Torch.Kernels;

/// <summary>
/// A register-blocked GEMM micro-kernel. Implemented by structs so the generic driver is specialised
/// per kernel and every call is direct (no interface dispatch in the inner loops).
/// </summary>
internal interface IMicroKernel
{
    static abstract int MR { get; }
    static abstract int NR { get; }
    static abstract bool IsSupported { get; }
    static abstract unsafe void Run(int kc, float* a, float* b, float* c, nint ldc, bool add);
}
