namespace Course.Torch.Modules;

using static Course.Torch.torch;

/// <summary>
/// Bernoulli(probs: or logits:). log_prob is computed from logits as -BCE-with-logits, stable for large |logits|;
/// from probs the logits are log p - log(1 - p) with p clamped away from 0 and 1.
/// </summary>
public sealed class Bernoulli : distributions.Distribution
{
    readonly Tensor? p, l;

    internal Bernoulli(Tensor? probs, Tensor? logits, Generator? generator) : base(generator, Shape(probs, logits))
    {
        p = probs; l = logits;
    }

    static long[] Shape(Tensor? probs, Tensor? logits)
    {
        if ((probs is null) == (logits is null)) throw new ArgumentException("Bernoulli: give exactly one of probs and logits.");
        return (probs ?? logits)!.shape;
    }

    public Tensor probs => p ?? l!.sigmoid();

    public Tensor logits
    {
        get
        {
            if (l is not null) return l;
            var c = p!.clamp(1.1920929e-07, 1 - 1.1920929e-07);
            return c.log() - (1 - c).log();
        }
    }

    public override Tensor mean => probs;
    public override Tensor variance => probs * (1 - probs);

    public override Tensor sample(params long[] sample_shape)
    {
        using (no_grad())
        {
            var pr = probs.expand(ExtendedShape(sample_shape)).contiguous();
            return bernoulli(pr, generator);
        }
    }

    public override Tensor log_prob(Tensor value)
        => -nn.functional.binary_cross_entropy_with_logits(logits.expand(distributions.BroadcastShape(logits, value, "Bernoulli.log_prob")),
            value.expand(distributions.BroadcastShape(logits, value, "Bernoulli.log_prob")).to(ScalarType.Float32), reduction: nn.Reduction.None);

    /// <summary>BCE of the distribution with itself: -(p log p + (1 - p) log(1 - p)).</summary>
    public override Tensor entropy() => nn.functional.binary_cross_entropy_with_logits(logits, probs, reduction: nn.Reduction.None);
}
