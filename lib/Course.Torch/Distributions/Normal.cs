namespace Course.Torch.Modules;

using static Course.Torch.torch;

/// <summary>
/// Normal(loc, scale), parameters broadcast together. rsample = loc + scale * eps with eps ~ N(0, 1), so gradients
/// flow to loc (d z/d loc = 1) and scale (d z/d scale = eps).
/// </summary>
public sealed class Normal : distributions.Distribution
{
    public Tensor loc { get; }
    public Tensor scale { get; }

    internal Normal(Tensor loc, Tensor scale, Generator? generator) : base(generator, distributions.BroadcastShape(loc, scale, "Normal"))
    {
        this.loc = loc; this.scale = scale;
    }

    public override Tensor mean => loc.expand(batch_shape);
    public override Tensor stddev => scale.expand(batch_shape);
    public override Tensor variance => scale.square().expand(batch_shape);

    public override Tensor rsample(params long[] sample_shape)
    {
        var eps = randn(ExtendedShape(sample_shape), generator: generator);
        return loc + scale * eps;
    }

    /// <summary>-(x - loc)^2 / (2 scale^2) - log scale - log sqrt(2 pi).</summary>
    public override Tensor log_prob(Tensor value)
        => -(value - loc).square() / (2 * scale.square()) - scale.log() - 0.5 * Math.Log(2 * Math.PI);

    /// <summary>0.5 + 0.5 log(2 pi) + log scale.</summary>
    public override Tensor entropy() => (scale.log() + (0.5 + 0.5 * Math.Log(2 * Math.PI))).expand(batch_shape);

    public Tensor cdf(Tensor value) => 0.5 * (1 + ((value - loc) / (scale * Math.Sqrt(2))).erf());

    /// <summary>loc + scale sqrt(2) erfinv(2p - 1), by Newton steps on cdf (no erfinv op in the engine).</summary>
    public Tensor icdf(Tensor p)
    {
        using var _ = no_grad();
        // Start from a logistic approximation, refine with Newton on the standard normal cdf.
        var q = p.clamp(1e-7, 1 - 1e-7);
        var z = (q / (1 - q)).log() / 1.702;
        for (int i = 0; i < 6; i++)
        {
            var c = 0.5 * (1 + (z / Math.Sqrt(2)).erf());
            var pdf = (-0.5 * z.square()).exp() / Math.Sqrt(2 * Math.PI);
            z = z - (c - q) / pdf.clamp_min(1e-12);
        }
        return loc + scale * z;
    }
}
