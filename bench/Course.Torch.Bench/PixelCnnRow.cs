using Course.Torch;
using Course.Torch.Modules;
using static Course.Torch.torch;
using F = Course.Torch.torch.nn.functional;

namespace Course.Torch.Bench;

/// <summary>Row c: PixelCNN, masked 7x7 type A 1->64, five masked 3x3 type B 64->64 with ReLU, 1x1 64->1, batch 64.</summary>
public sealed class PixelCnnRow : BenchRow
{
    public override string Id => "c";
    public override string Name => "c  PixelCNN 7x7A+5x3x3B(64ch), B=64";
    const int B = 64, Ch = 64;
    public override double? Flops => 3.0 * 2 * B * 28 * 28 * (Ch * 1 * 49 + 5 * Ch * Ch * 9 + 1 * Ch * 1);

    /// <summary>A convolution whose kernel is multiplied by a fixed causal mask (a buffer) on every forward.</summary>
    public sealed class MaskedConv2d : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter weight, bias;
        private readonly Tensor mask;
        private readonly long pad;
        public MaskedConv2d(char type, long cin, long cout, long k) : base("MaskedConv2d")
        {
            // PyTorch's Conv2d default init, then the mask: rows below the centre and, in the centre row, the
            // centre (type A) or what follows it (type B) are zero.
            var conv = nn.Conv2d(cin, cout, k, padding: k / 2);
            weight = conv.weight; bias = conv.bias!; pad = k / 2;
            var m = ones(cout, cin, k, k);
            long c = k / 2;
            m[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Single(c), TensorIndex.Slice(c + (type == 'B' ? 1 : 0))] = 0f;
            m[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(c + 1)] = 0f;
            mask = m;
            RegisterComponents();
        }
        public override Tensor forward(Tensor x) => F.conv2d(x, weight * mask, bias, padding: [pad, pad]);
    }

    public override Action CreateStep()
    {
        manual_seed(0);
        var layers = new List<nn.Module<Tensor, Tensor>> { new MaskedConv2d('A', 1, Ch, 7), nn.ReLU() };
        for (int i = 0; i < 5; i++) { layers.Add(new MaskedConv2d('B', Ch, Ch, 3)); layers.Add(nn.ReLU()); }
        layers.Add(nn.Conv2d(Ch, 1, 1));
        var model = nn.Sequential(layers);
        var opt = optim.Adam(model.parameters(), lr: 1e-3);
        var x = rand(B, 1, 28, 28).gt(0.5).to(float32);
        return () =>
        {
            var logits = model.forward(x);
            var loss = F.binary_cross_entropy_with_logits(logits, x);
            opt.zero_grad();
            loss.backward();
            opt.step();
        };
    }
}
