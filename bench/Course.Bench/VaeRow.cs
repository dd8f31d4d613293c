namespace Course.Bench;

/// <summary>Row b: MLP VAE 784-400-(20, 20), decoder 20-400-784, BCE-with-logits (sum) + KL, Adam 1e-3, batch 128.</summary>
public sealed class VaeRow : BenchRow
{
    public override string Id => "b";
    public override string Name => "b  VAE MLP 784-400-20, B=128";
    public const int B = 128;
    public override double? Flops => 3.0 * 2 * B * (784 * 400 + 400 * 20 * 2 + 20 * 400 + 400 * 784);

    public sealed class Vae : nn.Module<Tensor, (Tensor logits, Tensor mu, Tensor logvar)>
    {
        private readonly Linear fc1, fc_mu, fc_lv, fc3, fc4;

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
            var z = mu + exp(0.5 * logvar) * randn_like(mu);
            var logits = fc4.forward(F.relu(fc3.forward(z)));
            return (logits, mu, logvar);
        }
    }

    /// <summary>Model, optimizer and data of row b, seeded as in the Python script (also used by the memory check).</summary>
    public static (Vae Model, optim.Optimizer Opt, Tensor X) Create()
    {
        manual_seed(0);
        var model = new Vae();
        var opt = optim.Adam(model.parameters(), lr: 1e-3);
        var x = rand(B, 784);   // MNIST-shaped data in [0, 1]
        return (model, opt, x);
    }

    /// <summary>One training step of row b, in its own dispose scope as the course teaches (without: the memory check's contrast).</summary>
    public static void Step(Vae model, optim.Optimizer opt, Tensor x, bool scope = true)
    {
        using var _ = scope ? NewDisposeScope() : null;
        var (logits, mu, logvar) = model.forward(x);
        var rec = F.binary_cross_entropy_with_logits(logits, x, reduction: nn.Reduction.Sum);
        var kl = -0.5 * sum(1 + logvar - mu.pow(2) - logvar.exp());
        var loss = (rec + kl) / B;
        model.zero_grad();   // set_to_none, like opt.zero_grad(set_to_none=True)
        loss.backward();
        opt.step();
    }

    public override BenchStep CreateStep()
    {
        var (model, opt, x) = Create();
        return new BenchStep(() => Step(model, opt, x), model, opt, x);
    }
}
