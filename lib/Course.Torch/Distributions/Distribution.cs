namespace Course.Torch;

public static partial class torch
{
    public static partial class distributions
    {
        /// <summary>
        /// Base of the distributions (TorchSharp's torch.distributions.Distribution): batch_shape, sampling with an
        /// optional generator, log_prob, entropy and moments.
        /// </summary>
        public abstract class Distribution
        {
            protected readonly Generator? generator;
            protected Distribution(Generator? generator, long[] batch_shape) { this.generator = generator; this.batch_shape = batch_shape; }

            public long[] batch_shape { get; }
            public virtual long[] event_shape => [];

            public abstract Tensor mean { get; }
            public abstract Tensor variance { get; }
            public virtual Tensor stddev => variance.sqrt();

            /// <summary>Samples of shape sample_shape + batch_shape, without gradient.</summary>
            public virtual Tensor sample(params long[] sample_shape)
            {
                using (no_grad()) return rsample(sample_shape);
            }

            /// <summary>Reparameterized samples (gradients flow to the parameters) where the distribution supports it.</summary>
            public virtual Tensor rsample(params long[] sample_shape)
                => throw new NotSupportedException($"{GetType().Name}: rsample is not available (the distribution is discrete); use sample.");

            public abstract Tensor log_prob(Tensor value);
            public abstract Tensor entropy();

            protected long[] ExtendedShape(long[] sample_shape) => [.. sample_shape, .. batch_shape, .. event_shape];
        }

        internal static long[] BroadcastShape(Tensor a, Tensor b, string op) => Shape.ToLong(Shape.Broadcast(a.shp, b.shp, op));
    }
}
