using System.Numerics;

namespace Course.Torch.Kernels;

/// <summary>
/// im2col: the patches of one image (one group's channels) as a (C·R·S) x (OH·OW) matrix, so a convolution
/// is a GEMM; col2im is its adjoint (scatter-add), used for the input gradient. Rows are built from
/// contiguous runs of the input with zeros where the window hangs over the padding. Both work on a band of
/// output rows [i0, i0 + rows), so callers can keep the patch matrix small enough for L2.
/// </summary>
internal static unsafe class Im2Col
{
    public static void Pack(in Conv2dGeometry g, float* x, int channels, int i0, int rows, float* col)
    {
        int ow = g.OutW;
        nint plane = (nint)g.H * g.W, ohw = (nint)rows * ow;
        for (int c = 0; c < channels; c++)
        for (int r = 0; r < g.R; r++)
        for (int s = 0; s < g.S; s++)
        {
            float* row = col + ((c * g.R + r) * g.S + s) * ohw;
            float* xc = x + c * plane;
            int shift = s * g.DilW - g.PadW;
            var (lo, hi) = ValidColumns(shift, g.StrideW, g.W, ow);
            for (int i = i0; i < i0 + rows; i++, row += ow)
            {
                int hIn = i * g.StrideH - g.PadH + r * g.DilH;
                if ((uint)hIn >= (uint)g.H)
                {
                    new Span<float>(row, ow).Clear();
                    continue;
                }
                float* src = xc + (nint)hIn * g.W + shift;
                for (int j = 0; j < lo; j++) row[j] = 0;
                if (g.StrideW == 1)
                    new ReadOnlySpan<float>(src + lo, hi - lo).CopyTo(new Span<float>(row + lo, hi - lo));
                else
                    for (int j = lo; j < hi; j++) row[j] = src[(nint)j * g.StrideW];
                for (int j = Math.Max(lo, hi); j < ow; j++) row[j] = 0;
            }
        }
    }

    /// <summary>dx[c, h, w] += col[(c,r,s), (i - i0, j)] over every window position that read (h, w); dx not cleared.</summary>
    public static void AddBack(in Conv2dGeometry g, float* col, int channels, int i0, int rows, float* dx)
    {
        int ow = g.OutW;
        nint plane = (nint)g.H * g.W, ohw = (nint)rows * ow;
        for (int c = 0; c < channels; c++)
        for (int r = 0; r < g.R; r++)
        for (int s = 0; s < g.S; s++)
        {
            float* row = col + ((c * g.R + r) * g.S + s) * ohw;
            float* xc = dx + c * plane;
            int shift = s * g.DilW - g.PadW;
            var (lo, hi) = ValidColumns(shift, g.StrideW, g.W, ow);
            for (int i = i0; i < i0 + rows; i++, row += ow)
            {
                int hIn = i * g.StrideH - g.PadH + r * g.DilH;
                if ((uint)hIn >= (uint)g.H) continue;
                float* dst = xc + (nint)hIn * g.W + shift;
                if (g.StrideW == 1)
                    AddRun(dst + lo, row + lo, hi - lo);
                else
                    for (int j = lo; j < hi; j++) dst[(nint)j * g.StrideW] += row[j];
            }
        }
    }

    /// <summary>dst[0..len) += src[0..len): runs are short (an output row), so no library call per run.</summary>
    private static void AddRun(float* dst, float* src, int len)
    {
        int j = 0;
        int vw = Vector<float>.Count;
        for (; j + vw <= len; j += vw)
            (Vector.Load(dst + j) + Vector.Load(src + j)).Store(dst + j);
        for (; j < len; j++) dst[j] += src[j];
    }

    /// <summary>Output columns [lo, hi) whose input column j·stride + shift lies inside [0, width).</summary>
    private static (int Lo, int Hi) ValidColumns(int shift, int stride, int width, int outW)
    {
        int lo = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
        int last = width - 1 - shift;
        int hi = last < 0 ? 0 : last / stride + 1;
        lo = Math.Min(lo, outW);
        hi = Math.Clamp(hi, lo, outW);
        return (lo, hi);
    }
}
