namespace Course.Torch.Modules;

using static Course.Torch.torch;

/// <summary>
/// Categorical over the last dim of probs: (unnormalised, normalised here) or logits: (normalised with
/// log_softmax). sample draws Int64 category indices of shape sample_shape + batch_shape.
/// </summary>
public sealed class Categorical : distributions.Distribution
{
    readonly Tensor logp;
    public int num_events { get; }

    internal Categorical(Tensor? probs, Tensor? logits, Generator? generator) : base(generator, Batch(probs, logits))
    {
        if (probs is not null) logp = (probs / probs.sum(-1, keepdim: true)).clamp_min(1e-38).log();
        else logp = logits!.log_softmax(-1);
        num_events = logp.shp[^1];
    }

    static long[] Batch(Tensor? probs, Tensor? logits)
    {
        if ((probs is null) == (logits is null)) throw new ArgumentException("Categorical: give exactly one of probs and logits.");
        var t = (probs ?? logits)!;
        if (t.shp.Length == 0) throw new ArgumentException("Categorical: probs/logits need at least one dim (the categories).");
        return t.shape[..^1];
    }

    public Tensor logits => logp;
    public Tensor probs => logp.exp();

    public override Tensor mean => full(batch_shape, double.NaN);
    public override Tensor variance => full(batch_shape, double.NaN);

    public override Tensor sample(params long[] sample_shape)
    {
        using (no_grad())
        {
            long n = 1; foreach (var s in sample_shape) n *= s;
            var rows = probs.reshape(-1, num_events);
            var draws = multinomial(rows, n, replacement: true, generator: generator); // [rows, n]
            var r = draws.t().contiguous();                                          // [n, rows]
            return r.reshape([.. sample_shape, .. batch_shape]);
        }
    }

    /// <summary>log p[value] for Int64 category indices broadcast against batch_shape.</summary>
    public override Tensor log_prob(Tensor value)
    {
        if (value.dt != ScalarType.Int64) throw new ArgumentException($"Categorical.log_prob: value must be Int64 category indices, got {value.dt}.");
        var shape = Shape.ToLong(Shape.Broadcast(value.shp, Course.Torch.Shape.FromLong(batch_shape, "Categorical"), "Categorical.log_prob"));
        var v = value.expand(shape).contiguous();
        var lp = logp.expand([.. shape, num_events]);
        return lp.gather(-1, v.unsqueeze(-1)).squeeze(-1);
    }

    public override Tensor entropy() => -(logp.exp() * logp).sum(-1);
}
