using System.Numerics;
using System.Runtime.CompilerServices;

namespace Course.Torch.Kernels;

/// <summary>
/// im2col: the patches of one image (one group's channels) as a (C·R·S) x (OH·OW) matrix, so a convolution
/// is a GEMM; col2im is its adjoint (scatter-add), used for the input gradient. Rows are built from
/// contiguous runs of the input with zeros where the window hangs over the padding. Both work on a band of
/// output rows [i0, i0 + rows), so callers can keep the patch matrix small enough for L2.
/// </summary>
internal static unsafe class Im2Col
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(in Conv2dGeometry g, float* x, int channels, int i0, int rows, float* col)
    {
        if (IsFlat(g))
        {
            PackFlat(g, x, channels, i0, rows, col);
            return;
        }
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

    /// <summary>
    /// The same patch matrix as <see cref="Pack"/>, written straight into a GEMM's packed-B layout: one channel's R·S
    /// rows at a time go through a small chunk (it stays in L1) and are copied panel by panel, so the full patch
    /// matrix is never written and read back. <paramref name="chunk"/> holds R·S x rows·OW floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackPanels(in Conv2dGeometry g, float* x, int channels, int i0, int rows, in PackedBLayout layout,
        float* packed, float* chunk)
    {
        int rs = g.R * g.S, n = rows * g.OutW, nr = layout.NR;
        nint plane = (nint)g.H * g.W;
        for (int c = 0; c < channels; c++)
        {
            Pack(g, x + c * plane, 1, i0, rows, chunk);
            for (int q = 0; q < rs; q++)
            {
                int p = c * rs + q;
                float* src = chunk + (nint)q * n;
                float* dst = packed + layout.RowStart(p);
                nint panelStride = layout.PanelStride(p);
                int jp = 0;
                for (; jp + nr <= n; jp += nr, dst += panelStride)
                    GemmPacking.CopyPanelRow(dst, src + jp, nr);
                if (jp < n)
                {
                    int j = 0;
                    for (; jp + j < n; j++) dst[j] = src[jp + j];
                    for (; j < nr; j++) dst[j] = 0;
                }
            }
        }
    }

    /// <summary>dx[c, h, w] += col[(c,r,s), (i - i0, j)] over every window position that read (h, w); dx not cleared.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddBack(in Conv2dGeometry g, float* col, int channels, int i0, int rows, float* dx)
    {
        if (IsFlat(g))
        {
            AddBackFlat(g, col, channels, i0, rows, dx);
            return;
        }
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

    /// <summary>
    /// Stride 1 with "same" width (OW == W): a patch row over a band is the input plane shifted by a constant
    /// offset, so it is one flat copy plus zeroed border columns, instead of one short copy per output row.
    /// </summary>
    private static bool IsFlat(in Conv2dGeometry g) => g.StrideH == 1 && g.StrideW == 1 && g.OutW == g.W;

    /// <summary>Band rows [a, b) (relative to i0) whose input row i0 + i - PadH + r·DilH lies inside the image.</summary>
    private static (int A, int B) ValidRows(in Conv2dGeometry g, int r, int i0, int rows)
    {
        int first = g.PadH - r * g.DilH - i0;                 // band row reading input row 0
        int a = Math.Clamp(first, 0, rows), b = Math.Clamp(first + g.H, a, rows);
        return (a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackFlat(in Conv2dGeometry g, float* x, int channels, int i0, int rows, float* col)
    {
        int w = g.W;
        nint plane = (nint)g.H * w, band = (nint)rows * w;
        for (int c = 0; c < channels; c++)
        for (int r = 0; r < g.R; r++)
        {
            var (a, b) = ValidRows(g, r, i0, rows);
            for (int s = 0; s < g.S; s++)
            {
                float* row = col + ((c * g.R + r) * g.S + s) * band;
                int shift = s * g.DilW - g.PadW;
                var (lo, hi) = ValidColumns(shift, 1, w, w);
                new Span<float>(row, a * w).Clear();
                new Span<float>(row + (nint)b * w, (int)(band - (nint)b * w)).Clear();
                if (b <= a) continue;
                // Flat copy from the first valid element of row a to the last valid one of row b - 1: every read
                // stays inside the plane; elements that wrapped to a neighbouring row are zeroed below.
                nint d0 = (nint)a * w + lo, d1 = (nint)(b - 1) * w + hi;
                float* src = x + c * plane + (nint)(i0 + a - g.PadH + r * g.DilH) * w + shift + lo;
                // hi == lo: every column of this shift is padding (PadW beyond W); src would point outside the plane.
                if (hi > lo && d1 > d0) new ReadOnlySpan<float>(src, (int)(d1 - d0)).CopyTo(new Span<float>(row + d0, (int)(d1 - d0)));
                for (int i = a; i < b; i++)
                {
                    float* ri = row + (nint)i * w;
                    for (int j = 0; j < lo; j++) ri[j] = 0;
                    for (int j = hi; j < w; j++) ri[j] = 0; // ValidColumns keeps hi >= lo
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddBackFlat(in Conv2dGeometry g, float* col, int channels, int i0, int rows, float* dx)
    {
        int w = g.W;
        nint plane = (nint)g.H * w, band = (nint)rows * w;
        for (int c = 0; c < channels; c++)
        for (int r = 0; r < g.R; r++)
        {
            var (a, b) = ValidRows(g, r, i0, rows);
            if (b <= a) continue;
            for (int s = 0; s < g.S; s++)
            {
                float* row = col + ((c * g.R + r) * g.S + s) * band;
                int shift = s * g.DilW - g.PadW;
                var (lo, hi) = ValidColumns(shift, 1, w, w);
                // Zero the gradient of window positions over the padding first: in the flat add they would
                // land on a neighbouring row's pixels.
                for (int i = a; i < b; i++)
                {
                    float* ri = row + (nint)i * w;
                    for (int j = 0; j < lo; j++) ri[j] = 0;
                    for (int j = hi; j < w; j++) ri[j] = 0; // ValidColumns keeps hi >= lo
                }
                nint d0 = (nint)a * w + lo, d1 = (nint)(b - 1) * w + hi;
                float* dst = dx + c * plane + (nint)(i0 + a - g.PadH + r * g.DilH) * w + shift + lo;
                if (hi > lo && d1 > d0) AddRun(dst, row + d0, (int)(d1 - d0)); // hi == lo: all padding, nothing to add
            }
        }
    }

    /// <summary>dst[0..len) += src[0..len): runs are short (an output row), so no library call per run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
