namespace Course.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>How a loss reduces its elementwise values (TorchSharp's nn.Reduction).</summary>
        public enum Reduction { None = 0, Mean = 1, Sum = 2 }

        public static partial class functional
        {
            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
            {
                Losses.SameShape("mse_loss", input, target);
                return Losses.Reduce((input - target).square(), reduction);
            }

            public static Tensor l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
            {
                Losses.SameShape("l1_loss", input, target);
                return Losses.Reduce((input - target).abs(), reduction);
            }

            public static Tensor smooth_l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0)
            {
                Losses.SameShape("smooth_l1_loss", input, target);
                var d = (input - target).abs();
                return Losses.Reduce(where(d.lt(beta), d.square() * (0.5 / beta), d - 0.5 * beta), reduction);
            }

            /// <summary>-(y log p + (1 - y) log(1 - p)) on probabilities; each log is clamped at -100 as in PyTorch.</summary>
            public static Tensor binary_cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean)
            {
                Losses.SameShape("binary_cross_entropy", input, target);
                var loss = -(target * input.log().clamp_min(-100) + (1 - target) * (1 - input).log().clamp_min(-100));
                if (weight is not null) loss = loss * weight;
                return Losses.Reduce(loss, reduction);
            }

            /// <summary>
            /// Binary cross-entropy on logits, stable for any |x| (no sigmoid then log). One fused graph node when only
            /// the input needs gradients. pos_weights scales the positive term per class.
            /// </summary>
            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? pos_weights = null)
                => BceWithLogits.Forward(input, target, weight, reduction, pos_weights);

            /// <summary>
            /// Negative log-likelihood of class targets from log-probabilities: input [N, C] or [N, C, d1, ...], target
            /// Int64 [N] or [N, d1, ...]. Mean divides by the total weight of the non-ignored targets.
            /// </summary>
            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, long ignore_index = -100)
                => Losses.Nll("nll_loss", input, target, weight, ignore_index, reduction);

            /// <summary>
            /// Cross-entropy from logits: log_softmax over dim 1, then nll_loss. target is Int64 class indices, or
            /// class probabilities of the input's shape. label_smoothing mixes the target with the uniform distribution.
            /// </summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean, double label_smoothing = 0.0)
            {
                const string op = "cross_entropy";
                if (input.shp.Length < 1) throw new ArgumentException($"{op}: input must be [N, C, ...] or [C], got a scalar.");
                if (label_smoothing < 0 || label_smoothing > 1) throw new ArgumentException($"{op}: label_smoothing must be in [0, 1], got {label_smoothing}.");
                int classDim = input.shp.Length == 1 ? 0 : 1;
                var logp = input.log_softmax(classDim);
                int c = input.shp[classDim];
                if (target.dt == ScalarType.Float32)
                {
                    // A float target of another shape is almost always class indices stored as Float32 (PyTorch errors too).
                    if (!Shape.SameShape(input.shp, target.shp))
                        throw new ArgumentException($"{op}: target is Float32 of shape {target.ShapeStr} but input is {input.ShapeStr}: class-index targets must be Int64 (use target.to(int64)); Float32 targets must be class probabilities of the input's shape.");
                    var t = label_smoothing > 0 ? target * (1 - label_smoothing) + label_smoothing / c : target;
                    var wl = weight is null ? logp : logp * Losses.ClassShaped(weight, input.shp.Length, classDim, c, op);
                    return Losses.Reduce(-(t * wl).sum(classDim), reduction);
                }
                var nll = Losses.Nll(op, logp, target, weight, ignore_index, reduction);
                if (label_smoothing == 0) return nll;
                if (weight is not null) throw new NotSupportedException($"{op}: label_smoothing together with class weights is not supported.");
                // Smoothing term: mean over classes of -log p, for the non-ignored positions, reduced like nll.
                var valid = target.ne(ignore_index).to(ScalarType.Float32);
                var smooth = -logp.mean([classDim]) * valid;
                var smoothRed = reduction switch
                {
                    Reduction.None => smooth,
                    Reduction.Sum => smooth.sum(),
                    _ => smooth.sum() / valid.sum().clamp_min(1e-12),
                };
                return nll * (1 - label_smoothing) + smoothRed * label_smoothing;
            }

            /// <summary>0.5 (log var + (input - target)^2 / var) (+ 0.5 log 2 pi when full); var is clamped at eps without gradient.</summary>
            public static Tensor gaussian_nll_loss(Tensor input, Tensor target, Tensor variance, bool full = false, double eps = 1e-6, Reduction reduction = Reduction.Mean)
            {
                const string op = "gaussian_nll_loss";
                Losses.SameShape(op, input, target);
                if (variance.shp.Length == input.shp.Length - 1) variance = variance.unsqueeze(-1);
                using (no_grad())
                {
                    var bad = (variance.detach() < 0).any().item<bool>();
                    if (bad) throw new ArgumentException($"{op}: variance has negative entries.");
                }
                // Clamp without blocking the gradient where var > eps (PyTorch clamps under no_grad).
                var clampMask = variance.detach().lt(eps).to(ScalarType.Float32);
                var v = variance + (eps - variance.detach()) * clampMask;
                var loss = (v.log() + (input - target).square() / v) * 0.5;
                if (full) loss = loss + 0.5 * Math.Log(2 * Math.PI);
                return Losses.Reduce(loss, reduction);
            }

            /// <summary>KL(target || exp(input)) pointwise: target (log target - input); input is log-probabilities. Mean averages over all elements.</summary>
            public static Tensor kl_div(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, bool log_target = false)
            {
                Losses.SameShape("kl_div", input, target);
                Tensor loss;
                if (log_target) loss = target.exp() * (target - input);
                else
                {
                    // 0 log 0 = 0: log of the target with zeros replaced by ones.
                    var safe = where(target.gt(0), target, ones_like(target));
                    loss = target * (safe.log() - input);
                }
                return Losses.Reduce(loss, reduction);
            }
        }
    }
}

/// <summary>Shared pieces of the loss functions.</summary>
internal static class Losses
{
    public static torch.Tensor Reduce(torch.Tensor loss, torch.nn.Reduction reduction) => reduction switch
    {
        torch.nn.Reduction.None => loss,
        torch.nn.Reduction.Sum => loss.sum(),
        torch.nn.Reduction.Mean => loss.mean(),
        _ => throw new ArgumentException($"loss: unknown reduction {reduction}."),
    };

    public static void SameShape(string op, torch.Tensor input, torch.Tensor target)
    {
        if (!Shape.SameShape(input.shp, target.shp))
            throw new ArgumentException($"{op}: target shape {target.ShapeStr} must equal input shape {input.ShapeStr}.");
    }

    /// <summary>A [C] class-weight vector reshaped to broadcast along the class dim.</summary>
    public static torch.Tensor ClassShaped(torch.Tensor weight, int rank, int classDim, int c, string op)
    {
        if (weight.shp.Length != 1 || weight.shp[0] != c) throw new ArgumentException($"{op}: weight must have shape [{c}] (one per class), got {weight.ShapeStr}.");
        var s = new long[rank];
        for (int i = 0; i < rank; i++) s[i] = i == classDim ? c : 1;
        return weight.reshape(s);
    }

    public static torch.Tensor Nll(string op, torch.Tensor logp, torch.Tensor target, torch.Tensor? weight, long ignoreIndex, torch.nn.Reduction reduction)
    {
        if (target.dt != torch.ScalarType.Int64)
            throw new ArgumentException($"{op}: target must be Int64 class indices, got {target.dt} of shape {target.ShapeStr}.");
        bool unbatched = logp.shp.Length == 1;
        if (unbatched) { logp = logp.unsqueeze(0); target = target.reshape(1); }
        int c = logp.shp[1];
        var expect = logp.shp.Where((_, i) => i != 1).ToArray();
        if (!Shape.SameShape(expect, target.shp))
            throw new ArgumentException($"{op}: target shape {target.ShapeStr} does not fit input shape {logp.ShapeStr} (expected {Shape.Str(expect)}).");
        // Check ranges; ignored positions gather class 0 and are masked out.
        var t = target.LongIndex(op);
        var ts = t.LSpan;
        bool anyIgnored = false;
        for (int i = 0; i < ts.Length; i++)
        {
            if (ts[i] == ignoreIndex) { anyIgnored = true; continue; }
            if (ts[i] < 0 || ts[i] >= c) throw new IndexOutOfRangeException($"{op}: target {ts[i]} at flat position {i} is out of range for {c} classes.");
        }
        var safe = anyIgnored ? torch.where(t.eq(ignoreIndex), torch.zeros_like(t), t) : t;
        var picked = -logp.gather(1, safe.unsqueeze(1)).squeeze(1);
        torch.Tensor? w = null;
        if (weight is not null)
        {
            if (weight.shp.Length != 1 || weight.shp[0] != c) throw new ArgumentException($"{op}: weight must have shape [{c}] (one per class), got {weight.ShapeStr}.");
            w = weight.index_select(0, safe.reshape(-1)).reshape(safe.shape);
        }
        if (anyIgnored)
        {
            var keep = t.ne(ignoreIndex).to(torch.ScalarType.Float32);
            w = w is null ? keep : w * keep;
        }
        var loss = w is null ? picked : picked * w;
        if (unbatched && reduction == torch.nn.Reduction.None) loss = loss.squeeze(0);
        return reduction switch
        {
            torch.nn.Reduction.None => loss,
            torch.nn.Reduction.Sum => loss.sum(),
            _ => w is null ? loss.mean() : loss.sum() / w.sum(),
        };
    }
}
