namespace Course.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            /// <summary>
            /// Batch normalisation over every dim but 1 (channels). Training: batch statistics (biased variance) and,
            /// when given, running statistics updated with momentum (unbiased variance). Eval: running statistics.
            /// </summary>
            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null,
                bool training = false, double momentum = 0.1, double eps = 1e-5)
            {
                const string op = "batch_norm";
                if (input.shp.Length < 2) throw new ArgumentException($"{op}: input must be [N, C, ...], got shape {input.ShapeStr}.");
                int c = input.shp[1];
                var bshape = new long[input.shp.Length];
                for (int i = 0; i < bshape.Length; i++) bshape[i] = i == 1 ? c : 1;
                CheckChannels(op, "weight", weight, c); CheckChannels(op, "bias", bias, c);
                CheckChannels(op, "running_mean", running_mean, c); CheckChannels(op, "running_var", running_var, c);
                Tensor y;
                if (training)
                {
                    var dims = Enumerable.Range(0, input.shp.Length).Where(i => i != 1).Select(i => (long)i).ToArray();
                    long n = input.count / Math.Max(c, 1);
                    if (n <= 1) throw new ArgumentException($"{op}: expected more than 1 value per channel when training, got input shape {input.ShapeStr}.");
                    var mean = input.mean(dims, keepdim: true);
                    var centered = input - mean;
                    var var = centered.square().mean(dims, keepdim: true);
                    y = centered * (var + eps).rsqrt();
                    if (running_mean is not null && running_var is not null)
                    {
                        using (no_grad())
                        {
                            running_mean.mul_(1 - momentum).add_(mean.detach().reshape(c), momentum);
                            running_var.mul_(1 - momentum).add_(var.detach().reshape(c), momentum * n / (n - 1));
                        }
                    }
                }
                else
                {
                    if (running_mean is null || running_var is null)
                        throw new ArgumentException($"{op}: evaluation mode needs running_mean and running_var.");
                    y = (input - running_mean.reshape(bshape)) * (running_var.reshape(bshape) + eps).rsqrt();
                }
                if (weight is not null) y = y * weight.reshape(bshape);
                if (bias is not null) y = y + bias.reshape(bshape);
                return y;
            }

            /// <summary>Normalises over the trailing dims given by normalized_shape, then applies elementwise weight and bias.</summary>
            public static Tensor layer_norm(Tensor input, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                const string op = "layer_norm";
                int k = normalized_shape.Length;
                if (k == 0 || k > input.shp.Length)
                    throw new ArgumentException($"{op}: normalized_shape {Shape.Str(normalized_shape)} does not fit input shape {input.ShapeStr}.");
                for (int i = 0; i < k; i++)
                    if (input.shp[input.shp.Length - k + i] != normalized_shape[i])
                        throw new ArgumentException($"{op}: input shape {input.ShapeStr} does not end in normalized_shape {Shape.Str(normalized_shape)}.");
                var dims = Enumerable.Range(input.shp.Length - k, k).Select(i => (long)i).ToArray();
                var mean = input.mean(dims, keepdim: true);
                var centered = input - mean;
                var y = centered * (centered.square().mean(dims, keepdim: true) + eps).rsqrt();
                if (weight is not null) y = y * weight;
                if (bias is not null) y = y + bias;
                return y;
            }

            /// <summary>Normalises each group of channels of [N, C, ...] over its channels and positions; per-channel affine.</summary>
            public static Tensor group_norm(Tensor input, long num_groups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                const string op = "group_norm";
                if (input.shp.Length < 2) throw new ArgumentException($"{op}: input must be [N, C, ...], got shape {input.ShapeStr}.");
                int n = input.shp[0], c = input.shp[1];
                if (num_groups <= 0 || c % num_groups != 0)
                    throw new ArgumentException($"{op}: {c} channels (input {input.ShapeStr}) are not divisible into {num_groups} groups.");
                CheckChannels(op, "weight", weight, c); CheckChannels(op, "bias", bias, c);
                var g = input.reshape(n, num_groups, -1);
                var mean = g.mean([2], keepdim: true);
                var centered = g - mean;
                var y = (centered * (centered.square().mean([2], keepdim: true) + eps).rsqrt()).reshape(input.shape);
                var bshape = new long[input.shp.Length];
                for (int i = 0; i < bshape.Length; i++) bshape[i] = i == 1 ? c : 1;
                if (weight is not null) y = y * weight.reshape(bshape);
                if (bias is not null) y = y + bias.reshape(bshape);
                return y;
            }

            static void CheckChannels(string op, string what, Tensor? t, int c)
            {
                if (t is not null && (t.shp.Length != 1 || t.shp[0] != c))
                    throw new ArgumentException($"{op}: {what} must have shape [{c}] (one per channel), got {t.ShapeStr}.");
            }
        }
    }
}
