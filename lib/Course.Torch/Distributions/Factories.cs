using Course.Torch.Modules;

namespace Course.Torch;

public static partial class torch
{
    public static partial class distributions
    {
        public static Modules.Normal Normal(Tensor loc, Tensor scale, Generator? generator = null) => new(loc, scale, generator);
        public static Modules.Bernoulli Bernoulli(Tensor? probs = null, Tensor? logits = null, Generator? generator = null) => new(probs, logits, generator);
        public static Modules.Uniform Uniform(Tensor low, Tensor high, Generator? generator = null) => new(low, high, generator);
        public static Modules.Categorical Categorical(Tensor? probs = null, Tensor? logits = null, Generator? generator = null) => new(probs, logits, generator);

        public static partial class kl
        {
            /// <summary>KL(p || q) in closed form for the pairs that have one (Normal-Normal, Bernoulli-Bernoulli, Categorical-Categorical).</summary>
            public static Tensor kl_divergence(Distribution p, Distribution q) => (p, q) switch
            {
                // log(s2/s1) + (s1^2 + (m1 - m2)^2) / (2 s2^2) - 1/2
                (Modules.Normal a, Modules.Normal b) => (b.scale / a.scale).log() + (a.scale.square() + (a.loc - b.loc).square()) / (2 * b.scale.square()) - 0.5,
                (Modules.Bernoulli a, Modules.Bernoulli b) =>
                    a.probs * (nn.functional.softplus(-b.logits) - nn.functional.softplus(-a.logits))
                    + (1 - a.probs) * (nn.functional.softplus(b.logits) - nn.functional.softplus(a.logits)),
                (Modules.Categorical a, Modules.Categorical b) => (a.probs * (a.logits - b.logits)).sum(-1),
                _ => throw new NotSupportedException($"kl_divergence: no closed form for {p.GetType().Name} and {q.GetType().Name}."),
            };
        }
    }
}
