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
}

/// <summary>
/// conv2d forward and its two gradients on contiguous float data. Outputs are overwritten.
/// conv_transpose2d is built from these: its forward is BackwardInput, its input gradient is Forward.
/// </summary>
public static class Conv2dKernel
{
    public static void Forward(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w,
        ReadOnlySpan<float> bias, Span<float> y)
    {
        int oh = g.OutH, ow = g.OutW, cg = g.C / g.Groups, kg = g.K / g.Groups;
        for (int n = 0; n < g.N; n++)
        for (int k = 0; k < g.K; k++)
        {
            int grp = k / kg;
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                float sum = bias.IsEmpty ? 0 : bias[k];
                for (int c = 0; c < cg; c++)
                for (int r = 0; r < g.R; r++)
                {
                    int hi = i * g.StrideH - g.PadH + r * g.DilH;
                    if ((uint)hi >= (uint)g.H) continue;
                    for (int s = 0; s < g.S; s++)
                    {
                        int wi = j * g.StrideW - g.PadW + s * g.DilW;
                        if ((uint)wi >= (uint)g.W) continue;
                        sum += x[((n * g.C + grp * cg + c) * g.H + hi) * g.W + wi]
                             * w[((k * cg + c) * g.R + r) * g.S + s];
                    }
                }
                y[((n * g.K + k) * oh + i) * ow + j] = sum;
            }
        }
    }

    public static void BackwardInput(in Conv2dGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx)
    {
        dx[..g.InputSize].Clear();
        int oh = g.OutH, ow = g.OutW, cg = g.C / g.Groups, kg = g.K / g.Groups;
        for (int n = 0; n < g.N; n++)
        for (int k = 0; k < g.K; k++)
        {
            int grp = k / kg;
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                float d = dy[((n * g.K + k) * oh + i) * ow + j];
                for (int c = 0; c < cg; c++)
                for (int r = 0; r < g.R; r++)
                {
                    int hi = i * g.StrideH - g.PadH + r * g.DilH;
                    if ((uint)hi >= (uint)g.H) continue;
                    for (int s = 0; s < g.S; s++)
                    {
                        int wi = j * g.StrideW - g.PadW + s * g.DilW;
                        if ((uint)wi >= (uint)g.W) continue;
                        dx[((n * g.C + grp * cg + c) * g.H + hi) * g.W + wi] += d * w[((k * cg + c) * g.R + r) * g.S + s];
                    }
                }
            }
        }
    }

    public static void BackwardWeight(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw)
    {
        dw[..g.WeightSize].Clear();
        int oh = g.OutH, ow = g.OutW, cg = g.C / g.Groups, kg = g.K / g.Groups;
        for (int n = 0; n < g.N; n++)
        for (int k = 0; k < g.K; k++)
        {
            int grp = k / kg;
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                float d = dy[((n * g.K + k) * oh + i) * ow + j];
                for (int c = 0; c < cg; c++)
                for (int r = 0; r < g.R; r++)
                {
                    int hi = i * g.StrideH - g.PadH + r * g.DilH;
                    if ((uint)hi >= (uint)g.H) continue;
                    for (int s = 0; s < g.S; s++)
                    {
                        int wi = j * g.StrideW - g.PadW + s * g.DilW;
                        if ((uint)wi >= (uint)g.W) continue;
                        dw[((k * cg + c) * g.R + r) * g.S + s] += d * x[((n * g.C + grp * cg + c) * g.H + hi) * g.W + wi];
                    }
                }
            }
        }
    }

    public static void BackwardBias(in Conv2dGeometry g, ReadOnlySpan<float> dy, Span<float> db)
    {
        db[..g.K].Clear();
        int plane = g.OutH * g.OutW;
        for (int n = 0; n < g.N; n++)
        for (int k = 0; k < g.K; k++)
        {
            float sum = 0;
            foreach (float v in dy.Slice((n * g.K + k) * plane, plane)) sum += v;
            db[k] += sum;
        }
    }
}
