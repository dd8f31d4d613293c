using Course.Torch.Kernels;

namespace Course.Torch.Tests.Kernels;

public class Conv2dKernelTests
{
    /// <summary>Named geometries: each exercises one feature of the kernels (and batch > cores in several).</summary>
    public static TheoryData<string> Cases() => [.. Geometries.Keys];

    private static readonly Dictionary<string, Conv2dGeometry> Geometries = new()
    {
        ["3x3 pad1 batch5"] = new(N: 5, C: 3, H: 9, W: 8, K: 4, R: 3, S: 3, PadH: 1, PadW: 1),
        ["stride2 odd"] = new(N: 3, C: 2, H: 11, W: 9, K: 5, R: 3, S: 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1),
        ["dilation2"] = new(N: 2, C: 3, H: 10, W: 13, K: 3, R: 3, S: 3, PadH: 2, PadW: 1, DilH: 2, DilW: 2),
        ["dilation2 same size"] = new(N: 2, C: 2, H: 9, W: 10, K: 3, R: 3, S: 3, PadH: 2, PadW: 2, DilH: 2, DilW: 2),
        ["5x3 same width, taller pad"] = new(N: 2, C: 3, H: 6, W: 7, K: 2, R: 5, S: 3, PadH: 4, PadW: 1),
        ["groups2"] = new(N: 3, C: 4, H: 7, W: 7, K: 6, R: 3, S: 3, PadH: 1, PadW: 1, Groups: 2),
        ["1x1 pointwise"] = new(N: 4, C: 6, H: 5, W: 7, K: 3, R: 1, S: 1),
        ["1x1 stride2"] = new(N: 2, C: 3, H: 7, W: 6, K: 4, R: 1, S: 1, StrideH: 2, StrideW: 2),
        ["1x1 groups2"] = new(N: 3, C: 4, H: 5, W: 5, K: 6, R: 1, S: 1, Groups: 2),
        ["7x7 pad3"] = new(N: 3, C: 1, H: 13, W: 11, K: 8, R: 7, S: 7, PadH: 3, PadW: 3),
        ["asymmetric 2x5 no pad"] = new(N: 2, C: 2, H: 6, W: 9, K: 3, R: 2, S: 5, StrideW: 2),
        ["big pad"] = new(N: 2, C: 2, H: 3, W: 4, K: 2, R: 3, S: 3, PadH: 3, PadW: 2, StrideH: 2),
        // Flat im2col path with PadW > W: some kernel columns see only padding (no valid input column at all).
        ["padding wider than the image"] = new(N: 2, C: 2, H: 5, W: 1, K: 2, R: 3, S: 5, PadH: 1, PadW: 2),
        ["single image"] = new(N: 1, C: 5, H: 12, W: 12, K: 7, R: 3, S: 3, PadH: 1, PadW: 1),
        // Patch matrices over the ~512 KB band budget: the image is processed in bands of output rows.
        ["bands of rows"] = new(N: 2, C: 32, H: 30, W: 30, K: 4, R: 3, S: 3, PadH: 1, PadW: 1),
        ["bands stride2 dilation2"] = new(N: 3, C: 40, H: 61, W: 61, K: 3, R: 3, S: 3, StrideH: 2, StrideW: 2, PadH: 2, PadW: 1, DilH: 2),
        // Large enough (> 3 MFLOP) to take the parallel paths: images on threads, weight-gradient chunks.
        ["parallel 16ch batch9"] = new(N: 9, C: 16, H: 15, W: 15, K: 16, R: 3, S: 3, PadH: 1, PadW: 1),
        ["parallel single image"] = new(N: 1, C: 24, H: 16, W: 16, K: 32, R: 3, S: 3, PadH: 1, PadW: 1),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_matches_reference(string name)
    {
        var g = Geometries[name];
        float[] x = KernelAssert.Random(1, g.InputSize), w = KernelAssert.Random(2, g.WeightSize), b = KernelAssert.Random(3, g.K);
        var (want, mag) = ReferenceConv2d.Forward(g, x, w, b);
        var got = KernelAssert.Random(4, g.OutputSize); // garbage: the output must be overwritten
        Conv2dKernel.Forward(g, x, w, b, got);
        KernelAssert.Close(want, got, mag, $"forward {name}");

        (want, mag) = ReferenceConv2d.Forward(g, x, w, null);
        Conv2dKernel.Forward(g, x, w, ReadOnlySpan<float>.Empty, got);
        KernelAssert.Close(want, got, mag, $"forward {name} without bias");
    }

    /// <summary>
    /// im2col straight into the packed-B layout equals im2col followed by the GEMM's own PackB, element for element
    /// (padding included), for every micro-kernel's panel width; and the product on it equals the product on the
    /// plain patch matrix bitwise. Bands of rows here include ragged last panels and several k blocks.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public unsafe void Patches_packed_directly_match_im2col_then_packing_bitwise(string name)
    {
        var g = Geometries[name];
        if (g.IsPointwise) return; // 1x1 convolutions read the input directly
        int cg = g.C / g.Groups, crs = cg * g.R * g.S, kg = g.K / g.Groups;
        int rows = Math.Min(g.OutH, 3), i0 = g.OutH - rows, cols = rows * g.OutW;
        float[] x = KernelAssert.Random(21, g.InputSize), w = KernelAssert.Random(22, g.WeightSize);
        foreach (var isa in Enum.GetValues<GemmIsa>().Where(GemmIsas.IsSupported))
        {
            var layout = Gemm.PackedB(isa, crs, cols);
            var col = new float[crs * cols];
            var want = new float[layout.Floats];
            var got = KernelAssert.Random(23, (int)layout.Floats); // garbage: every element must be written
            var chunk = new float[g.R * g.S * cols];
            fixed (float* px = x, pcol = col, pw = want, pg = got, pch = chunk)
            {
                Im2Col.Pack(g, px, cg, i0, rows, pcol);
                for (int pc = 0; pc < crs; pc += layout.KcMax)
                    GemmPacking.PackB(false, pcol, cols, pc, Math.Min(layout.KcMax, crs - pc), 0, cols, pw + layout.RowStart(pc), layout.NR);
                Im2Col.PackPanels(g, px, cg, i0, rows, layout, pg, pch);
                Assert.True(want.AsSpan().SequenceEqual(got), $"{name} {isa}: packed patches differ");

                if (!Gemm.RunsPrepackable(kg, cols, crs, 1)) continue;
                var packedW = new float[Gemm.PackedAFloats(isa, kg, crs)];
                fixed (float* pw2 = w, ppw = packedW)
                {
                    Gemm.PackWholeA(isa, false, kg, crs, pw2, crs, ppw);
                    foreach (bool accumulate in new[] { true, false })
                    {
                        var viaPlain = KernelAssert.Random(24, kg * cols);
                        var viaPacked = accumulate ? (float[])viaPlain.Clone() : KernelAssert.Random(25, kg * cols);
                        fixed (float* p1 = viaPlain, p2 = viaPacked)
                        {
                            Gemm.SgemmUnchecked(false, false, kg, cols, crs, pw2, crs, pcol, cols, p1, cols, accumulate, isa, 1);
                            Gemm.SgemmPrepacked(kg, cols, crs, ppw, pg, p2, cols, accumulate, isa);
                        }
                        Assert.True(viaPlain.AsSpan().SequenceEqual(viaPacked),
                            $"{name} {isa} accumulate={accumulate}: product on packed weight and patches differs");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardInput_matches_reference(string name)
    {
        var g = Geometries[name];
        float[] dy = KernelAssert.Random(5, g.OutputSize), w = KernelAssert.Random(6, g.WeightSize);
        var (want, mag) = ReferenceConv2d.BackwardInput(g, dy, w);
        var got = KernelAssert.Random(7, g.InputSize);
        Conv2dKernel.BackwardInput(g, dy, w, got);
        KernelAssert.Close(want, got, mag, $"backward input {name}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardWeight_matches_reference(string name)
    {
        var g = Geometries[name];
        float[] x = KernelAssert.Random(8, g.InputSize), dy = KernelAssert.Random(9, g.OutputSize);
        var (want, mag) = ReferenceConv2d.BackwardWeight(g, x, dy);
        var got = KernelAssert.Random(10, g.WeightSize);
        Conv2dKernel.BackwardWeight(g, x, dy, got);
        KernelAssert.Close(want, got, mag, $"backward weight {name}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardBias_matches_reference(string name)
    {
        var g = Geometries[name];
        float[] dy = KernelAssert.Random(11, g.OutputSize);
        var (want, mag) = ReferenceConv2d.BackwardBias(g, dy);
        var got = KernelAssert.Random(12, g.K);
        Conv2dKernel.BackwardBias(g, dy, got);
        KernelAssert.Close(want, got, mag, $"backward bias {name}");
    }

    [Fact]
    public void Weight_gradient_does_not_depend_on_threads_or_runs()
    {
        var g = Geometries["parallel 16ch batch9"];
        float[] x = KernelAssert.Random(13, g.InputSize), dy = KernelAssert.Random(14, g.OutputSize);
        float[] first = new float[g.WeightSize], again = new float[g.WeightSize];
        Conv2dKernel.BackwardWeight(g, x, dy, first, threads: 1);
        foreach (int threads in new[] { 2, 3, 2 })
        {
            Conv2dKernel.BackwardWeight(g, x, dy, again, threads);
            Assert.Equal(first, again);
        }
    }

    [Fact]
    public void Adjoint_identity_links_forward_and_input_gradient()
    {
        // <conv(x), dy> == <x, conv_backward_input(dy)>: the two kernels are transposes of each other.
        var g = Geometries["dilation2"];
        float[] x = KernelAssert.Random(15, g.InputSize), w = KernelAssert.Random(16, g.WeightSize), dy = KernelAssert.Random(17, g.OutputSize);
        float[] y = new float[g.OutputSize], dx = new float[g.InputSize];
        Conv2dKernel.Forward(g, x, w, ReadOnlySpan<float>.Empty, y);
        Conv2dKernel.BackwardInput(g, dy, w, dx);
        double lhs = y.Zip(dy).Sum(p => (double)p.First * p.Second), rhs = x.Zip(dx).Sum(p => (double)p.First * p.Second);
        Assert.Equal(lhs, rhs, 1e-3 * Math.Max(1, Math.Abs(lhs)));
    }

    [Fact]
    public void Bad_input_names_the_op_and_sizes()
    {
        var g = new Conv2dGeometry(N: 2, C: 3, H: 5, W: 5, K: 4, R: 3, S: 3);
        var e = Assert.Throws<ArgumentException>(() =>
            Conv2dKernel.Forward(g, new float[10], new float[g.WeightSize], ReadOnlySpan<float>.Empty, new float[g.OutputSize]));
        Assert.Contains("Conv2dKernel.Forward: input has 10 elements", e.Message);
        Assert.Contains($"needs {g.InputSize}", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Conv2dKernel.BackwardWeight(g with { Groups = 2 }, new float[g.InputSize], new float[g.OutputSize], new float[g.WeightSize]));
        Assert.Contains("groups=2 must divide in_channels=3", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            Conv2dKernel.BackwardInput(g with { R = 9 }, new float[1000], new float[1000], new float[1000]));
        Assert.Contains("kernel 9x3", e.Message);
    }
}
