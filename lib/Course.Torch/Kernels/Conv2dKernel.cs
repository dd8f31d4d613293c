using System.Buffers;
using System.Numerics.Tensors;

namespace Course.Torch.Kernels;

/// <summary>
/// conv2d forward and its two gradients on contiguous float data. Outputs are overwritten.
/// conv_transpose2d is built from these: its forward is BackwardInput, its input gradient is Forward.
/// </summary>
/// <remarks>
/// Each image and group is one GEMM on im2col patches (1x1 stride-1 convolutions use the input directly):
/// forward Y = W·col, input gradient col2im(Wᵀ·dY), weight gradient dW = Σ dY·colᵀ. Batches run images in
/// parallel with single-threaded GEMMs; a single image lets the GEMM use the cores instead.
/// </remarks>
public static unsafe class Conv2dKernel
{
    public static void Forward(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w,
        ReadOnlySpan<float> bias, Span<float> y)
    {
        const string op = "Conv2dKernel.Forward";
        g.Validate(op);
        Conv2dGeometry.CheckLength(op, "input", x.Length, g.InputSize, g);
        Conv2dGeometry.CheckLength(op, "weight", w.Length, g.WeightSize, g);
        Conv2dGeometry.CheckLength(op, "output", y.Length, g.OutputSize, g);
        if (!bias.IsEmpty) Conv2dGeometry.CheckLength(op, "bias", bias.Length, g.K, g);
        // The weight of each group, packed once for the GEMM kernel: every image and band multiplies by it.
        int groups = g.Groups, kg = g.K / groups, crs = g.C / groups * g.R * g.S;
        long perGroup = g.IsPointwise || crs == 0 ? 0 : Gemm.PackedAFloats(GemmIsas.Best, kg, crs);
        float[]? packed = perGroup > 0 ? ArrayPool<float>.Shared.Rent((int)(perGroup * groups)) : null;
        try
        {
            fixed (float* px = x, pw = w, pb = bias, py = y, ppw = packed)
            {
                for (int grp = 0; grp < groups && packed is not null; grp++)
                    Gemm.PackWholeA(GemmIsas.Best, false, kg, crs, pw + (nint)grp * kg * crs, crs, ppw + grp * perGroup);
                var ctx = new Context(g, px, pw, bias.IsEmpty ? null : pb, py, packed is null ? null : ppw, perGroup);
                ForEachImage(g, (n, t) => ctx.ForwardImage(n, t));
            }
        }
        finally
        {
            if (packed is not null) ArrayPool<float>.Shared.Return(packed);
        }
    }

    public static void BackwardInput(in Conv2dGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx)
    {
        const string op = "Conv2dKernel.BackwardInput";
        g.Validate(op);
        Conv2dGeometry.CheckLength(op, "output gradient", dy.Length, g.OutputSize, g);
        Conv2dGeometry.CheckLength(op, "weight", w.Length, g.WeightSize, g);
        Conv2dGeometry.CheckLength(op, "input gradient", dx.Length, g.InputSize, g);
        fixed (float* pdy = dy, pw = w, pdx = dx)
        {
            var ctx = new Context(g, pdx, pw, null, pdy);
            ForEachImage(g, (n, t) => ctx.BackwardInputImage(n, t));
        }
    }

    public static void BackwardWeight(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw)
        => BackwardWeight(g, x, dy, dw, Gemm.MaxThreads);

    /// <summary>As the public overload with a thread count; the result does not depend on it (tests check).</summary>
    internal static void BackwardWeight(in Conv2dGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, int threads)
    {
        const string op = "Conv2dKernel.BackwardWeight";
        g.Validate(op);
        Conv2dGeometry.CheckLength(op, "input", x.Length, g.InputSize, g);
        Conv2dGeometry.CheckLength(op, "output gradient", dy.Length, g.OutputSize, g);
        Conv2dGeometry.CheckLength(op, "weight gradient", dw.Length, g.WeightSize, g);
        if (g.N == 0) { dw[..g.WeightSize].Clear(); return; }
        int chunks = ImageChunks(g);
        int size = g.WeightSize;
        // Chunk 0 accumulates into dw itself, the others into partial sums added in chunk order:
        // the result does not depend on which thread ran which chunk.
        float[]? partials = chunks > 1 ? ArrayPool<float>.Shared.Rent((chunks - 1) * size) : null;
        try
        {
            fixed (float* px = x, pdy = dy, pdw = dw, pp = partials)
            {
                var ctx = new Context(g, px, null, null, pdy);
                nint dw0 = (nint)pdw, part = (nint)pp;
                if (chunks == 1)
                {
                    for (int n = 0; n < g.N; n++) ctx.BackwardWeightImage(n, pdw, n > 0, threads);
                }
                else
                {
                    int batch = g.N;
                    WorkerPool.For(chunks, threads, q =>
                    {
                        float* target = q == 0 ? (float*)dw0 : (float*)part + (nint)(q - 1) * size;
                        int n0 = (int)((long)batch * q / chunks), n1 = (int)((long)batch * (q + 1) / chunks);
                        for (int n = n0; n < n1; n++) ctx.BackwardWeightImage(n, target, n > n0, 1);
                    });
                    var sum = new Span<float>(pdw, size);
                    for (int q = 1; q < chunks; q++)
                        TensorPrimitives.Add(sum, new ReadOnlySpan<float>(pp + (nint)(q - 1) * size, size), sum);
                }
            }
        }
        finally
        {
            if (partials is not null) ArrayPool<float>.Shared.Return(partials);
        }
    }

    public static void BackwardBias(in Conv2dGeometry g, ReadOnlySpan<float> dy, Span<float> db)
    {
        const string op = "Conv2dKernel.BackwardBias";
        g.Validate(op);
        Conv2dGeometry.CheckLength(op, "output gradient", dy.Length, g.OutputSize, g);
        Conv2dGeometry.CheckLength(op, "bias gradient", db.Length, g.K, g);
        db[..g.K].Clear();
        int plane = g.OutH * g.OutW;
        for (int n = 0; n < g.N; n++)
            for (int k = 0; k < g.K; k++)
                db[k] += TensorPrimitives.Sum(dy.Slice((n * g.K + k) * plane, plane));
    }

    /// <summary>Budget for one band's patch matrix, in floats (128K floats = 512 KB, a quarter of a 2 MB L2).</summary>
    private const int BandFloats = 128 << 10;

    /// <summary>
    /// Image chunks for the weight gradient: a fixed count (not the thread count), so partial sums and
    /// their order, hence the result, are the same on any machine; 8 chunks also balance a busy core.
    /// </summary>
    private static int ImageChunks(in Conv2dGeometry g) =>
        g.N < 2 || Flops(g) < Gemm.ParallelFlops ? 1 : Math.Min(g.N, 8);

    private static double Flops(in Conv2dGeometry g) =>
        2.0 * g.N * g.K * g.OutH * g.OutW * (g.C / g.Groups) * g.R * g.S;

    /// <summary>Images in parallel (each GEMM on one thread) for a batch; one image at a time otherwise.</summary>
    private static void ForEachImage(in Conv2dGeometry g, Action<int, int> image)
    {
        int threads = Gemm.MaxThreads;
        if (g.N >= 2 && threads >= 2 && Flops(g) >= Gemm.ParallelFlops)
            WorkerPool.For(g.N, threads, n => image(n, 1));
        else
            for (int n = 0; n < g.N; n++) image(n, threads);
    }

    /// <summary>Pointers and sizes shared by the per-image work (a struct of addresses, so lambdas can carry it).</summary>
    private readonly struct Context(in Conv2dGeometry g, float* x, float* w, float* bias, float* y,
        float* packedW = null, long packedWPerGroup = 0)
    {
        private readonly Conv2dGeometry geo = g;
        private readonly nint x = (nint)x, w = (nint)w, bias = (nint)bias, y = (nint)y;
        private readonly nint packedW = (nint)packedW;
        private readonly long packedWPerGroup = packedWPerGroup;
        private int Cg => geo.C / geo.Groups;
        private int Kg => geo.K / geo.Groups;
        private int Crs => Cg * geo.R * geo.S;
        private int Ohw => geo.OutH * geo.OutW;
        private nint Plane => (nint)geo.H * geo.W;

        private float* InputGroup(int n, int grp) => (float*)x + ((nint)n * geo.C + grp * Cg) * Plane;
        private float* OutputGroup(int n, int grp) => (float*)y + ((nint)n * geo.K + grp * Kg) * Ohw;
        private float* WeightGroup(int grp) => (float*)w + (nint)grp * Kg * Crs;

        /// <summary>
        /// Output rows per band: the band's patch matrix (C·R·S x rows·OW) stays under ~512 KB so it and the
        /// packed panels fit in L2 together. 1x1 convolutions read the input directly and need no bands.
        /// </summary>
        private int BandRows => geo.IsPointwise ? geo.OutH : Math.Clamp(BandFloats / Math.Max(1, Crs * geo.OutW), 1, geo.OutH);

        /// <summary>The patches of output rows [i0, i0 + rows) of one image and group, and their row stride.</summary>
        private (nint Ptr, nint Ld) Patches(int n, int grp, int i0, int rows)
        {
            if (geo.IsPointwise) return ((nint)(InputGroup(n, grp) + (nint)i0 * geo.OutW), Ohw);
            float* col = ScratchBuffers.Get(ScratchSlot.Col, (long)Crs * rows * geo.OutW);
            Im2Col.Pack(geo, InputGroup(n, grp), Cg, i0, rows, col);
            return ((nint)col, (nint)rows * geo.OutW);
        }

        public void ForwardImage(int n, int threads)
        {
            int band = BandRows, ow = geo.OutW;
            for (int grp = 0; grp < geo.Groups; grp++)
            {
                float* yg = OutputGroup(n, grp);
                bool hasBias = bias != 0;
                if (hasBias)
                    for (int k = 0; k < Kg; k++)
                        new Span<float>(yg + (nint)k * Ohw, Ohw).Fill(((float*)bias)[grp * Kg + k]);
                for (int i0 = 0; i0 < geo.OutH; i0 += band)
                {
                    int rows = Math.Min(band, geo.OutH - i0), cols = rows * ow;
                    if (packedW != 0 && Gemm.RunsPrepackable(Kg, cols, Crs, threads))
                    {
                        // One thread, blocked path: im2col writes the GEMM's packed B directly (same sums, same order).
                        var layout = Gemm.PackedB(GemmIsas.Best, Crs, cols);
                        float* packed = ScratchBuffers.Get(ScratchSlot.Col, layout.Floats);
                        float* chunk = ScratchBuffers.Get(ScratchSlot.ColChunk, (long)geo.R * geo.S * cols);
                        Im2Col.PackPanels(geo, InputGroup(n, grp), Cg, i0, rows, layout, packed, chunk);
                        Gemm.SgemmPrepacked(Kg, cols, Crs, (float*)packedW + grp * packedWPerGroup, packed,
                            yg + (nint)i0 * ow, Ohw, hasBias, GemmIsas.Best);
                        continue;
                    }
                    var (col, ld) = Patches(n, grp, i0, rows);
                    Gemm.SgemmUnchecked(false, false, Kg, cols, Crs, WeightGroup(grp), Crs, (float*)col, ld,
                        yg + (nint)i0 * ow, Ohw, hasBias, GemmIsas.Best, threads);
                }
            }
        }

        /// <summary>Here x is the input gradient and y the output gradient.</summary>
        public void BackwardInputImage(int n, int threads)
        {
            int band = BandRows, ow = geo.OutW;
            for (int grp = 0; grp < geo.Groups; grp++)
            {
                float* dyg = OutputGroup(n, grp), dxg = InputGroup(n, grp);
                if (geo.IsPointwise)
                {
                    Gemm.SgemmUnchecked(true, false, Cg, Ohw, Kg, WeightGroup(grp), Crs, dyg, Ohw, dxg, Ohw, false,
                        GemmIsas.Best, threads);
                    continue;
                }
                new Span<float>(dxg, (int)(Cg * Plane)).Clear();
                float* col = ScratchBuffers.Get(ScratchSlot.Col, (long)Crs * Math.Min(band, geo.OutH) * ow);
                for (int i0 = 0; i0 < geo.OutH; i0 += band)
                {
                    int rows = Math.Min(band, geo.OutH - i0);
                    Gemm.SgemmUnchecked(true, false, Crs, rows * ow, Kg, WeightGroup(grp), Crs, dyg + (nint)i0 * ow, Ohw,
                        col, rows * ow, false, GemmIsas.Best, threads);
                    Im2Col.AddBack(geo, col, Cg, i0, rows, dxg);
                }
            }
        }

        /// <summary>dw (+)= dY·colᵀ for one image; y is the output gradient.</summary>
        public void BackwardWeightImage(int n, float* dw, bool accumulate, int threads)
        {
            int band = BandRows, ow = geo.OutW;
            for (int grp = 0; grp < geo.Groups; grp++)
            {
                for (int i0 = 0; i0 < geo.OutH; i0 += band)
                {
                    int rows = Math.Min(band, geo.OutH - i0);
                    var (col, ld) = Patches(n, grp, i0, rows);
                    Gemm.SgemmUnchecked(false, true, Kg, Crs, rows * ow, OutputGroup(n, grp) + (nint)i0 * ow, Ohw, (float*)col, ld,
                        dw + (nint)grp * Kg * Crs, Crs, accumulate || i0 > 0, GemmIsas.Best, threads);
                }
            }
        }
    }
}
