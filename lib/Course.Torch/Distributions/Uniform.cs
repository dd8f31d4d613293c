namespace Course.Torch.Modules;

using static Course.Torch.torch;

/// <summary>Uniform(low, high) on [low, high); rsample = low + (high - low) u, so gradients reach both bounds.</summary>
public sealed class Uniform : distributions.Distribution
{
    public Tensor low { get; }
    public Tensor high { get; }

    internal Uniform(Tensor low, Tensor high, Generator? generator) : base(generator, distributions.BroadcastShape(low, high, "Uniform"))
    {
        this.low = low; this.high = high;
    }

    public override Tensor mean => ((low + high) / 2).expand(batch_shape);
    public override Tensor variance => ((high - low).square() / 12).expand(batch_shape);

    public override Tensor rsample(params long[] sample_shape)
        => low + (high - low) * rand(ExtendedShape(sample_shape), generator: generator);

    /// <summary>-log(high - low) inside [low, high), -inf outside.</summary>
    public override Tensor log_prob(Tensor value)
    {
        var inside = value.ge(low).logical_and(value.lt(high));
        return where(inside, -(high - low).log().expand(distributions.BroadcastShape(value, low, "Uniform.log_prob")), float.NegativeInfinity);
    }

    public override Tensor entropy() => (high - low).log().expand(batch_shape);
}
