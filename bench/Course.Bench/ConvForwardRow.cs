namespace Course.Bench;

/// <summary>Row g: conv2d forward with bias, input 64x64x28x28, 64 filters 3x3, padding 1, under no_grad.</summary>
public sealed class ConvForwardRow : BenchRow
{
    public override string Id => "g";
    public override string Name => "g  conv2d fwd 64x64x28x28, 64 3x3 pad1";
    public override double? Flops => 2.0 * 64 * 64 * 28 * 28 * 64 * 9;

    public override BenchStep CreateStep()
    {
        manual_seed(0);
        var x = randn(64, 64, 28, 28);
        var w = randn(64, 64, 3, 3);
        var b = randn(64);
        long[] padding = [1, 1];
        return new BenchStep(() =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            F.conv2d(x, w, b, padding: padding);
        }, x, w, b);
    }
}
