using Course.Torch;
using Course.Torch.Modules;
using static Course.Torch.torch;
using F = Course.Torch.torch.nn.functional;

namespace Course.Torch.Bench;

/// <summary>Row b: MLP VAE 784-400-(20, 20), decoder 20-400-784, BCE-with-logits (sum) + KL, Adam 1e-3, batch 128.</summary>
public sealed class VaeRow : BenchRow
{
    public override string Id => "b";
    public override string Name => "b  VAE MLP 784-400-20, B=128";
    const int B = 128;
    public override double? Flops => 3.0 * 2 * B * (784 * 400 + 400 * 20 * 2 + 20 * 400 + 400 * 784);

    public sealed class Vae : nn.Module<Tensor, (Tensor logits, Tensor mu, Tensor logvar)>
    {
        private readonly Modules.Linear fc1, fc_mu, fc_lv, fc3, fc4;
        public Vae() : base("VAE")
        {
            fc1 = nn.Linear(784, 400); fc_mu = nn.Linear(400, 20); fc_lv = nn.Linear(400, 20);
            fc3 = nn.Linear(20, 400); fc4 = nn.Linear(400, 784);
            RegisterComponents();
        }
        public override (Tensor logits, Tensor mu, Tensor logvar) forward(Tensor x)
        {
            var h = F.relu(fc1.forward(x));
            var mu = fc_mu.forward(h); var logvar = fc_lv.forward(h);
            var z = mu + (0.5 * logvar).exp() * randn_like(mu);
            var logits = fc4.forward(F.relu(fc3.forward(z)));
            return (logits, mu, logvar);
        }
    }

    /// <summary>One training step of row b (also used by the memory check).</summary>
    public static Action Step(Vae model, optim.Optimizer opt, Tensor x) => () =>
    {
        var (logits, mu, logvar) = model.forward(x);
        var rec = F.binary_cross_entropy_with_logits(logits, x, reduction: nn.Reduction.Sum);
        var kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum();
        var loss = (rec + kl) / B;
        opt.zero_grad();
        loss.backward();
        opt.step();
    };

    public override Action CreateStep()
    {
        manual_seed(0);
        var model = new Vae();
        var opt = optim.Adam(model.parameters(), lr: 1e-3);
        var x = rand(B, 784);
        return Step(model, opt, x);
    }
}
