namespace Course.Bench;

/// <summary>Row f: RealNVP on 2-D data, 6 affine couplings each with an MLP 1-64-64-2, tanh scale, batch 1024, exact NLL.</summary>
public sealed class RealNvpRow : BenchRow
{
    public override string Id => "f";
    public override string Name => "f  RealNVP 2-D, 6 couplings MLP 1-64-64-2, B=1024";
    const int B = 1024;
    public override double? Flops => 3.0 * 2 * B * 6 * (1 * 64 + 64 * 64 + 64 * 2);

    public sealed class Coupling : nn.Module<Tensor, (Tensor y, Tensor logdet)>
    {
        private readonly int cond;   // index of the dimension that conditions
        private readonly Sequential net;

        public Coupling(int condDim) : base("Coupling")
        {
            cond = condDim;
            net = nn.Sequential(nn.Linear(1, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2));
            RegisterComponents();
        }

        public override (Tensor y, Tensor logdet) forward(Tensor x)
        {
            var xc = x[.., cond..(cond + 1)];
            var xt = x[.., (1 - cond)..(2 - cond)];
            var st = net.forward(xc);
            var (s, t) = (tanh(st[.., ..1]), st[.., 1..]);
            var yt = xt * exp(s) + t;
            var y = cond == 0 ? cat([xc, yt], 1) : cat([yt, xc], 1);
            return (y, s.squeeze(1));
        }
    }

    public sealed class RealNvp : nn.Module<Tensor, Tensor>
    {
        private readonly ModuleList<Coupling> layers;

        public RealNvp(int n = 6) : base("RealNVP")
        {
            layers = nn.ModuleList(Enumerable.Range(0, n).Select(i => new Coupling(i % 2)).ToArray());
            RegisterComponents();
        }

        /// <summary>Mean negative log-likelihood of x under the flow with a standard normal base (the script's nll).</summary>
        public override Tensor forward(Tensor x)
        {
            var logdet = zeros(x.shape[0]);
            foreach (var l in layers)
            {
                (x, var ld) = l.forward(x);
                logdet = logdet + ld;
            }
            var logpz = -0.5 * x.pow(2).sum(1) - Math.Log(2 * Math.PI);
            return -(logpz + logdet).mean();
        }
    }

    public override BenchStep CreateStep()
    {
        manual_seed(0);
        var g = new Generator(1);
        var data = Toy2D.Ring(B, g);
        var flow = new RealNvp(6);
        var opt = optim.Adam(flow.parameters(), lr: 1e-3);
        return new BenchStep(() =>
        {
            using var scope = NewDisposeScope();
            var loss = flow.forward(data);
            flow.zero_grad();
            loss.backward();
            opt.step();
        }, flow, opt, data, g);
    }
}
