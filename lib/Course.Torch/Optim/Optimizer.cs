using Course.Torch.Modules;

namespace Course.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>
        /// Base of the optimizers: parameter groups (each with its own learning rate), zero_grad and step. Updates
        /// run in place on each parameter's storage with TensorPrimitives, record no graph and allocate nothing
        /// after the first step (state buffers are created then).
        /// </summary>
        public abstract class Optimizer
        {
            internal readonly List<ParamGroup> groups = new();

            private protected Optimizer(IEnumerable<ParamGroup> groups, string name)
            {
                foreach (var g in groups) this.groups.Add(g);
                if (this.groups.Sum(g => g.Parameters.Count) == 0) throw new ArgumentException($"{name}: got an empty parameter list.");
                foreach (var g in this.groups)
                    foreach (var p in g.Parameters)
                    {
                        if (p.dt != ScalarType.Float32 || !p.contig || !p.is_leaf)
                            throw new ArgumentException($"{name}: every parameter must be a contiguous Float32 leaf tensor; got {p.dt} of shape {p.ShapeStr} (contiguous: {p.contig}, leaf: {p.is_leaf}).");
                    }
            }

            public IList<ParamGroup> ParamGroups => groups;
            public IList<ParamGroup> param_groups => groups;

            /// <summary>All parameters of all groups.</summary>
            public IEnumerable<Tensor> parameters() => groups.SelectMany(g => g.Parameters);

            /// <summary>Drops (set_to_none, the default) or zeroes every parameter's gradient.</summary>
            public virtual void zero_grad(bool set_to_none = true)
            {
                foreach (var g in groups)
                    foreach (var p in g.Parameters)
                    {
                        if (set_to_none || p.grad is null) p.grad = null;
                        else using (no_grad()) p.grad.zero_();
                    }
            }

            /// <summary>One update of every parameter that has a gradient. The closure, if given, recomputes the loss first.</summary>
            public Tensor? step(Func<Tensor>? closure = null)
            {
                Tensor? loss = null;
                if (closure is not null) using (enable_grad()) loss = closure();
                using (no_grad())
                {
                    foreach (var g in groups)
                        for (int i = 0; i < g.Parameters.Count; i++)
                        {
                            var p = g.Parameters[i];
                            if (p.grad is null) continue;
                            var grad = p.grad.contig && p.grad.dt == ScalarType.Float32 ? p.grad : p.grad.ContigF("step");
                            Update(g, i, p.FSpan, grad.FSpan);
                            p.storage.Version++;
                        }
                }
                return loss;
            }

            /// <summary>Updates one parameter (its data and gradient as contiguous spans) in place.</summary>
            private protected abstract void Update(ParamGroup group, int index, Span<float> param, ReadOnlySpan<float> grad);

            internal static ParamGroup[] Single(IEnumerable<Tensor> parameters, double lr) => [new ParamGroup(parameters, lr)];
        }

        /// <summary>A set of parameters sharing a learning rate (schedulers change LearningRate).</summary>
        public sealed class ParamGroup
        {
            public List<Tensor> Parameters { get; }
            public double LearningRate { get; set; }
            public double InitialLearningRate { get; set; }
            /// <summary>Per-parameter optimizer state (moment buffers), index-aligned with Parameters.</summary>
            internal readonly object?[] State;

            public ParamGroup(IEnumerable<Tensor> parameters, double lr)
            {
                Parameters = parameters.ToList();
                LearningRate = InitialLearningRate = lr;
                State = new object?[Parameters.Count];
            }
        }
    }
}
