namespace Course.Bench;

/// <summary>Row e: DDPM on 2-D data, MLP 3-128-128-128-2, T = 1000 linear betas, batch 1024, MSE on the noise.</summary>
public sealed class DdpmRow : BenchRow
{
    public override string Id => "e";
    public override string Name => "e  DDPM 2-D MLP 3-128-128-128-2, B=1024";
    const int B = 1024, T = 1000;
    public override double? Flops => 3.0 * 2 * B * (3 * 128 + 128 * 128 * 2 + 128 * 2);

    public override BenchStep CreateStep()
    {
        manual_seed(0);
        var g = new Generator(0);
        var data = Toy2D.Ring(B, g);
        var betas = linspace(1e-4, 0.02, T);
        var abar = cumprod(1 - betas, 0);
        var net = nn.Sequential(nn.Linear(3, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                                nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2));
        var opt = optim.Adam(net.parameters(), lr: 1e-3);
        return new BenchStep(() =>
        {
            using var scope = NewDisposeScope();
            var t = randint(0, T, [B]);
            var eps = randn(B, 2);
            var ab = abar[t].unsqueeze(1);
            var xt = ab.sqrt() * data + (1 - ab).sqrt() * eps;
            var inp = cat([xt, (t.@float() / T).unsqueeze(1)], 1);
            var loss = F.mse_loss(net.forward(inp), eps);
            net.zero_grad();
            loss.backward();
            opt.step();
        }, net, opt, data, betas, abar, g);
    }
}
