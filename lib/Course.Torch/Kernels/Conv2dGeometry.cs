namespace Course.Torch.Kernels;

/// <summary>Shapes of one 2-D convolution, NCHW input, KCRS weight (K output channels, C/Groups inputs each).</summary>
public readonly record struct Conv2dGeometry(
    int N, int C, int H, int W, int K, int R, int S,
    int StrideH = 1, int StrideW = 1, int PadH = 0, int PadW = 0, int DilH = 1, int DilW = 1, int Groups = 1)
{
    public int OutH => (H + 2 * PadH - DilH * (R - 1) - 1) / StrideH + 1;
    public int OutW => (W + 2 * PadW - DilW * (S - 1) - 1) / StrideW + 1;
    public int InputSize => N * C * H * W;
    public int OutputSize => N * K * OutH * OutW;
    public int WeightSize => K * (C / Groups) * R * S;

    /// <summary>A 1x1, stride-1, unpadded convolution: the input planes are already the GEMM operand.</summary>
    internal bool IsPointwise => R == 1 && S == 1 && StrideH == 1 && StrideW == 1 && PadH == 0 && PadW == 0;

    /// <summary>Throws a message naming the op and the offending field when the geometry is not a valid convolution.</summary>
    internal void Validate(string op)
    {
        if (N < 0 || C < 1 || H < 1 || W < 1 || K < 1 || R < 1 || S < 1)
            throw new ArgumentException($"{op}: sizes must be positive (N may be 0), got {this}");
        if (StrideH < 1 || StrideW < 1 || DilH < 1 || DilW < 1 || PadH < 0 || PadW < 0)
            throw new ArgumentException($"{op}: stride and dilation must be >= 1 and padding >= 0, got {this}");
        if (Groups < 1 || C % Groups != 0 || K % Groups != 0)
            throw new ArgumentException($"{op}: groups={Groups} must divide in_channels={C} and out_channels={K}");
        if (H + 2 * PadH < DilH * (R - 1) + 1 || W + 2 * PadW < DilW * (S - 1) + 1)
            throw new ArgumentException(
                $"{op}: kernel {R}x{S} (dilation {DilH}x{DilW}) is larger than the padded input {H + 2 * PadH}x{W + 2 * PadW}");
        if ((long)N * C * H * W > int.MaxValue || (long)N * K * OutH * OutW > int.MaxValue)
            throw new ArgumentException($"{op}: tensors larger than {int.MaxValue} elements are not supported ({this})");
    }

    internal static void CheckLength(string op, string name, int length, int need, in Conv2dGeometry g)
    {
        if (length < need)
            throw new ArgumentException($"{op}: {name} has {length} elements but {g} needs {need}");
    }
}
