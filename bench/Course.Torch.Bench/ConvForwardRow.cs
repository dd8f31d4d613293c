using Course.Torch.Kernels;

namespace Course.Torch.Bench;

/// <summary>Row g: conv2d forward with bias through <see cref="Conv2dKernel.Forward"/>, like F.conv2d under no_grad.</summary>
public sealed class ConvForwardRow : BenchRow
{
    private static readonly Conv2dGeometry G = new(N: 64, C: 64, H: 28, W: 28, K: 64, R: 3, S: 3, PadH: 1, PadW: 1);

    public override string Id => "g";
    public override string Name => "g  conv2d fwd 64x64x28x28, 64 3x3 pad1";
    public override double? Flops => 2.0 * 64 * 64 * 28 * 28 * 64 * 9;

    public override Action CreateStep()
    {
        var rng = new Random(0);
        float[] x = BenchData.Normal(rng, G.InputSize), w = BenchData.Normal(rng, G.WeightSize),
            b = BenchData.Normal(rng, G.K), y = new float[G.OutputSize];
        return () => Conv2dKernel.Forward(G, x, w, b, y);
    }
}
