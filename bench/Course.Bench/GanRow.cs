namespace Course.Bench;

/// <summary>Row d: MLP GAN, G 64-256-512-784 tanh, D 784-512-256-1 LeakyReLU(0.2), one D step and one G step, batch 128.</summary>
public sealed class GanRow : BenchRow
{
    public override string Id => "d";
    public override string Name => "d  GAN MLP G64-256-512-784 D784-512-256-1, B=128 (D+G)";
    const int B = 128, Z = 64;
    static double Fg => 2.0 * B * (Z * 256 + 256 * 512 + 512 * 784);
    static double Fd => 2.0 * B * (784 * 512 + 512 * 256 + 256 * 1);
    // D step: G forward (no backward) + 2x D forward/backward; G step: G and D forward/backward.
    public override double? Flops => Fg + 2 * 3 * Fd + 3 * Fg + 3 * Fd;

    public override BenchStep CreateStep()
    {
        manual_seed(0);
        var G = nn.Sequential(nn.Linear(Z, 256), nn.ReLU(), nn.Linear(256, 512), nn.ReLU(), nn.Linear(512, 784), nn.Tanh());
        var D = nn.Sequential(nn.Linear(784, 512), nn.LeakyReLU(0.2), nn.Linear(512, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1));
        var optG = optim.Adam(G.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
        var optD = optim.Adam(D.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
        var real = rand(B, 784) * 2 - 1;
        var onesT = ones(B, 1);
        var zerosT = zeros(B, 1);
        return new BenchStep(() =>
        {
            using var scope = NewDisposeScope();
            // D step
            var z = randn(B, Z);
            var fake = G.forward(z);
            var dLoss = F.binary_cross_entropy_with_logits(D.forward(real), onesT)
                      + F.binary_cross_entropy_with_logits(D.forward(fake.detach()), zerosT);
            D.zero_grad();
            dLoss.backward();
            optD.step();
            // G step (non-saturating), fresh noise
            z = randn(B, Z);
            var gLoss = F.binary_cross_entropy_with_logits(D.forward(G.forward(z)), onesT);
            G.zero_grad();
            gLoss.backward();
            optG.step();
        }, G, D, optG, optD, real, onesT, zerosT);
    }
}
