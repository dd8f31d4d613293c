namespace Course.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>
        /// Accumulates d(this)/d(leaf) into every leaf's grad. gradient may be omitted for one-element tensors.
        /// The graph is freed afterwards unless retain_graph; create_graph records the backward pass itself.
        /// </summary>
        public void backward(Tensor? gradient = null, bool retain_graph = false, bool create_graph = false)
            => Autograd.Backward(this, gradient, retain_graph, create_graph);

        public void backward(IList<Tensor>? grad_tensors, bool create_graph = false, bool retain_graph = false)
            => Autograd.Backward(this, grad_tensors is { Count: > 0 } ? grad_tensors[0] : null, retain_graph, create_graph);

        /// <summary>Also fill .grad of this non-leaf tensor on backward (leaves always get it).</summary>
        public Tensor retain_grad()
        {
            if (gradFn is not null) gradFn.RetainTarget = this;
            return this;
        }

        /// <summary>The name of the op that produced this tensor (null for leaves).</summary>
        public string? grad_fn_name => gradFn?.Name;
    }

    public static partial class autograd
    {
        /// <summary>Gradients of outputs with respect to inputs; no .grad is changed. create_graph makes them differentiable.</summary>
        public static Tensor[] grad(IList<Tensor> outputs, IList<Tensor> inputs, IList<Tensor>? grad_outputs = null, bool retain_graph = false, bool create_graph = false)
        {
            var saved = new Tensor?[inputs.Count];
            var flags = new bool[inputs.Count];
            for (int i = 0; i < inputs.Count; i++)
            {
                if (!inputs[i].is_leaf) throw new NotSupportedException("autograd.grad: inputs must be leaf tensors in this engine.");
                saved[i] = inputs[i].grad; flags[i] = inputs[i].needsGrad; inputs[i].grad = null;
            }
            try
            {
                for (int o = 0; o < outputs.Count; o++)
                    Autograd.Backward(outputs[o], grad_outputs?[o], retain_graph || o < outputs.Count - 1, create_graph, inputs);
                var r = new Tensor[inputs.Count];
                for (int i = 0; i < inputs.Count; i++) r[i] = inputs[i].grad ?? zeros_like(inputs[i]);
                return r;
            }
            finally
            {
                for (int i = 0; i < inputs.Count; i++) inputs[i].grad = saved[i];
            }
        }

        public static partial class functional
        {
            /// <summary>Full Jacobian d f(x) / d x with shape f(x).shape + x.shape (one backward per output element).</summary>
            public static Tensor jacobian(Func<Tensor, Tensor> f, Tensor x)
            {
                var xi = x.detach().clone().requires_grad_();
                var y = f(xi);
                var rows = new List<Tensor>();
                int n = y.count;
                for (int k = 0; k < n; k++)
                {
                    var onehot = zeros([n]);
                    onehot.FSpan[k] = 1;
                    var g = grad([y], [xi], [onehot.reshape(y.shape)], retain_graph: true)[0];
                    rows.Add(g.reshape(-1));
                }
                var shape = y.shape.Concat(x.shape).ToArray();
                return n == 0 ? zeros(shape) : stack(rows).reshape(shape);
            }
        }
    }
}
