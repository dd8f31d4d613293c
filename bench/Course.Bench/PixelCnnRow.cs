namespace Course.Bench;

/// <summary>Row c: PixelCNN, masked 7x7 type A 1->64, five masked 3x3 type B 64->64 with ReLU, 1x1 64->1, batch 64.</summary>
public sealed class PixelCnnRow : BenchRow
{
    public override string Id => "c";
    public override string Name => "c  PixelCNN 7x7A+5x3x3B(64ch), B=64";
    const int B = 64, Ch = 64;
    // FLOPs counted with dense (unmasked) kernels, as the Python script counts them.
    public override double? Flops => 3.0 * 2 * B * 28 * 28 * (Ch * 1 * 49 + 5 * Ch * Ch * 9 + 1 * Ch * 1);

    /// <summary>
    /// A convolution whose kernel is multiplied by a fixed causal mask (a buffer) on every forward, as in the
    /// Python script: rows below the centre and, in the centre row, the centre (type A) or what follows it
    /// (type B) are zero.
    /// </summary>
    public sealed class MaskedConv2d : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter weight, bias;
        private readonly Tensor mask;
        private readonly long[] padding;

        public MaskedConv2d(char type, long cin, long cout, long k) : base("MaskedConv2d")
        {
            // nn.Conv2d's own initialisation (TorchSharp's Conv2d is sealed, so the parameters are taken from one).
            using var conv = nn.Conv2d(cin, cout, k, padding: k / 2);
            weight = new Parameter(conv.weight.detach().clone());
            bias = new Parameter(conv.bias!.detach().clone());
            padding = [k / 2, k / 2];
            mask = ones(cout, cin, k, k);
            long c = k / 2;
            mask[.., .., c, (int)(c + (type == 'B' ? 1 : 0))..].fill_(0);
            mask[.., .., (int)(c + 1)..].fill_(0);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => F.conv2d(x, weight * mask, bias, padding: padding);
    }

    public static Sequential Model()
    {
        var layers = new List<nn.Module<Tensor, Tensor>> { new MaskedConv2d('A', 1, Ch, 7), nn.ReLU() };
        for (int i = 0; i < 5; i++) layers.AddRange([new MaskedConv2d('B', Ch, Ch, 3), nn.ReLU()]);
        layers.Add(nn.Conv2d(Ch, 1, 1));
        return nn.Sequential(layers.ToArray());
    }

    public override BenchStep CreateStep()
    {
        manual_seed(0);
        var model = Model();
        var opt = optim.Adam(model.parameters(), lr: 1e-3);
        var x = (rand(B, 1, 28, 28) > 0.5).@float();   // binarized 28x28
        return new BenchStep(() =>
        {
            using var scope = NewDisposeScope();
            var logits = model.forward(x);
            var loss = F.binary_cross_entropy_with_logits(logits, x);
            model.zero_grad();
            loss.backward();
            opt.step();
        }, model, opt, x);
    }
}
