using Course.Torch.Modules;

namespace Course.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static partial class utils
        {
            /// <summary>
            /// Scales all gradients together so their joint norm is at most max_norm (by max_norm / (norm + 1e-6) when
            /// larger). Returns the total norm before clipping. norm_type may be any p > 0 or infinity. Takes
            /// parameters or plain tensors (a sequence of Parameter is a sequence of Tensor).
            /// </summary>
            public static double clip_grad_norm_(IEnumerable<Tensor> parameters, double max_norm, double norm_type = 2.0)
            {
                double maxNorm = max_norm, p = norm_type;
                var grads = parameters.Select(t => t.grad).Where(g => g is not null).Select(g => g!).ToList();
                if (grads.Count == 0) return 0;
                double total = 0;
                foreach (var g in grads)
                {
                    var s = g.ContigF("clip_grad_norm_").FSpan;
                    if (double.IsPositiveInfinity(p)) { foreach (var v in s) total = Math.Max(total, Math.Abs(v)); }
                    else if (p == 2) { double a = System.Numerics.Tensors.TensorPrimitives.Dot(s, s); total += a; }
                    else foreach (var v in s) total += Math.Pow(Math.Abs(v), p);
                }
                if (!double.IsPositiveInfinity(p)) total = p == 2 ? Math.Sqrt(total) : Math.Pow(total, 1 / p);
                double coef = maxNorm / (total + 1e-6);
                if (coef < 1)
                    using (no_grad()) foreach (var g in grads) g.mul_(coef);
                return total;
            }

            /// <summary>Clamps every gradient element into [-clip_value, clip_value].</summary>
            public static void clip_grad_value_(IEnumerable<Tensor> parameters, double clip_value)
            {
                using (no_grad())
                    foreach (var p in parameters)
                        if (p.grad is not null) p.grad.clamp_(-clip_value, clip_value);
            }

            /// <summary>All parameters flattened into one vector (a copy).</summary>
            public static Tensor parameters_to_vector(IEnumerable<Tensor> parameters) => cat(parameters.Select(p => p.reshape(-1)).ToList());
        }
    }
}
