using System.Numerics.Tensors;

namespace Course.Torch.Kernels;

/// <summary>
/// What a fused linear layer adds around its GEMM, done per block of C while the block is in cache (and on
/// the thread that computed it) instead of as whole-matrix passes: C starts as the bias row repeated (the
/// product then accumulates onto it, so values are bitwise those of a bias copy followed by an accumulating
/// GEMM), and relu is applied in place after the last depth block.
/// </summary>
internal readonly unsafe struct GemmEpilogue(nint bias, bool relu, nint mask = 0, nint ldm = 0)
{
    /// <summary>Bias of n floats (C's columns), or 0 for none.</summary>
    public readonly nint Bias = bias;
    public readonly bool Relu = relu;
    /// <summary>An m x n matrix (row stride ldm), or 0: after the product, C[i,j] = mask[i,j] > 0 ? C[i,j] : 0 (relu's backward).</summary>
    public readonly nint Mask = mask, Ldm = ldm;

    public bool HasBias => Bias != 0;
    public bool HasTail => Relu || Mask != 0;
    public bool IsEmpty => Bias == 0 && !HasTail;

    /// <summary>The mask and relu steps on the block of C at rows i0.., columns j0.. (c points at its first element).</summary>
    public void Finish(float* c, nint ldc, int i0, int rows, int j0, int cols)
    {
        if (Mask != 0) ApplyMask(c, ldc, (float*)Mask + i0 * Ldm + j0, Ldm, rows, cols);
        if (Relu) ApplyRelu(c, ldc, rows, cols);
    }

    /// <summary>c = m > 0 ? c : 0, row by row through relu's own backward kernel (element-wise, so in place is safe).</summary>
    public static void ApplyMask(float* c, nint ldc, float* m, nint ldm, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            var ci = new Span<float>(c + i * ldc, cols);
            Unary.ReluBackward(ci, new ReadOnlySpan<float>(m + i * ldm, cols), ci);
        }
    }

    /// <summary>C[0..rows, 0..cols] := bias[j0..j0+cols] on every row.</summary>
    public void FillBias(float* c, nint ldc, int rows, int j0, int cols)
    {
        var src = new ReadOnlySpan<float>((float*)Bias + j0, cols);
        for (int i = 0; i < rows; i++) src.CopyTo(new Span<float>(c + i * ldc, cols));
    }

    /// <summary>relu in place on C[0..rows, 0..cols] (TensorPrimitives.Max, as Tensor.relu: NaN stays NaN).</summary>
    public static void ApplyRelu(float* c, nint ldc, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            var row = new Span<float>(c + i * ldc, cols);
            TensorPrimitives.Max(row, 0f, row);
        }
    }
}
