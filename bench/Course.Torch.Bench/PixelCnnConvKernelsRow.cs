using Course.Torch.Kernels;

namespace Course.Torch.Bench;

/// <summary>
/// Extra row "ck": the convolution kernels of row c's training step alone (every layer's forward, input
/// gradient except the first layer's, weight and bias gradients), no autograd, ReLU, loss or Adam. It is a
/// lower bound for row c while nn.Conv2d is being built, not a substitute for it.
/// </summary>
public sealed class PixelCnnConvKernelsRow : BenchRow
{
    private static readonly Conv2dGeometry[] Layers =
    [
        new(N: 64, C: 1, H: 28, W: 28, K: 64, R: 7, S: 7, PadH: 3, PadW: 3),
        .. Enumerable.Repeat(new Conv2dGeometry(N: 64, C: 64, H: 28, W: 28, K: 64, R: 3, S: 3, PadH: 1, PadW: 1), 5),
        new(N: 64, C: 64, H: 28, W: 28, K: 1, R: 1, S: 1),
    ];

    public override string Id => "ck";
    public override string Name => "ck PixelCNN conv kernels only (row c's convs)";
    public override double? Flops => 3 * Layers.Sum(g => 2.0 * g.N * g.K * g.OutH * g.OutW * (g.C / g.Groups) * g.R * g.S);

    public override Action CreateStep()
    {
        var rng = new Random(0);
        var xs = Layers.Select(g => BenchData.Normal(rng, g.InputSize)).ToArray();
        var ws = Layers.Select(g => BenchData.Normal(rng, g.WeightSize)).ToArray();
        var bs = Layers.Select(g => BenchData.Normal(rng, g.K)).ToArray();
        var ys = Layers.Select(g => new float[g.OutputSize]).ToArray();
        var dys = Layers.Select(g => BenchData.Normal(rng, g.OutputSize)).ToArray();
        var dxs = Layers.Select(g => new float[g.InputSize]).ToArray();
        var dws = Layers.Select(g => new float[g.WeightSize]).ToArray();
        var dbs = Layers.Select(g => new float[g.K]).ToArray();
        return () =>
        {
            for (int l = 0; l < Layers.Length; l++) Conv2dKernel.Forward(Layers[l], xs[l], ws[l], bs[l], ys[l]);
            for (int l = Layers.Length - 1; l >= 0; l--)
            {
                if (l > 0) Conv2dKernel.BackwardInput(Layers[l], dys[l], ws[l], dxs[l]);
                Conv2dKernel.BackwardWeight(Layers[l], xs[l], dys[l], dws[l]);
                Conv2dKernel.BackwardBias(Layers[l], dys[l], dbs[l]);
            }
        };
    }
}
