using System.Numerics.Tensors;

namespace Course.Torch.Modules;

using static Course.Torch.torch;

/// <summary>
/// Adam (and AdamW with decoupled weight decay) as PyTorch: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
/// p -= lr / (1 - b1^t) * m / (sqrt(v / (1 - b2^t)) + eps). Adam adds weight_decay p to g (L2); AdamW instead
/// multiplies p by (1 - lr weight_decay) before the update. amsgrad keeps the running max of v.
/// </summary>
public class Adam : optim.Optimizer
{
    public readonly double beta1, beta2, eps, weight_decay;
    public readonly bool amsgrad, maximize;
    readonly bool decoupled;

    sealed class State
    {
        public long Step;
        public float[] M = [], V = [], Scratch = [];
        public float[]? VMax;
    }

    internal Adam(IEnumerable<optim.ParamGroup> groups, double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize, bool decoupled, string name)
        : base(groups, name)
    {
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) throw new ArgumentException($"{name}: betas must be in [0, 1), got ({beta1}, {beta2}).");
        if (eps < 0 || weight_decay < 0) throw new ArgumentException($"{name}: eps ({eps}) and weight_decay ({weight_decay}) must be non-negative.");
        this.beta1 = beta1; this.beta2 = beta2; this.eps = eps; this.weight_decay = weight_decay;
        this.amsgrad = amsgrad; this.maximize = maximize; this.decoupled = decoupled;
    }

    private protected override void Update(optim.ParamGroup group, int index, Span<float> p, ReadOnlySpan<float> grad)
    {
        var st = (State?)group.State[index];
        if (st is null)
        {
            int n = p.Length;
            st = new State { M = new float[n], V = new float[n], Scratch = new float[n], VMax = amsgrad ? new float[n] : null };
            group.State[index] = st;
        }
        st.Step++;
        double lr = group.LearningRate;
        var g = grad;
        var s = st.Scratch.AsSpan();
        if (maximize || (weight_decay != 0 && !decoupled))
        {
            if (maximize) TensorPrimitives.Negate(grad, s); else grad.CopyTo(s);
            if (weight_decay != 0 && !decoupled) TensorPrimitives.MultiplyAdd(p, (float)weight_decay, s, s);
            g = s;
        }
        if (decoupled && weight_decay != 0) TensorPrimitives.Multiply(p, (float)(1 - lr * weight_decay), p);

        var m = st.M.AsSpan(); var v = st.V.AsSpan();
        // m = b1 m + (1 - b1) g
        TensorPrimitives.Multiply(m, (float)beta1, m);
        TensorPrimitives.MultiplyAdd(g, (float)(1 - beta1), m, m);
        // v = b2 v + (1 - b2) g^2 (g may live in scratch: square it in place only after m used it)
        TensorPrimitives.Multiply(v, (float)beta2, v);
        TensorPrimitives.Multiply(g, g, s);
        TensorPrimitives.MultiplyAdd(s, (float)(1 - beta2), v, v);
        ReadOnlySpan<float> vv = v;
        if (st.VMax is not null) { TensorPrimitives.Max(st.VMax, v, st.VMax); vv = st.VMax; }

        double bc1 = 1 - Math.Pow(beta1, st.Step), bc2 = 1 - Math.Pow(beta2, st.Step);
        // s = sqrt(v / bc2) + eps; s = m / s; p -= lr / bc1 * s
        TensorPrimitives.Multiply(vv, (float)(1 / bc2), s);
        TensorPrimitives.Sqrt(s, s);
        TensorPrimitives.Add(s, (float)eps, s);
        TensorPrimitives.Divide(m, s, s);
        TensorPrimitives.MultiplyAdd(s, (float)(-lr / bc1), p, p);
    }
}

/// <summary>Adam with decoupled weight decay (default 0.01): p *= 1 - lr weight_decay, then the Adam step.</summary>
public sealed class AdamW : Adam
{
    internal AdamW(IEnumerable<optim.ParamGroup> groups, double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize)
        : base(groups, beta1, beta2, eps, weight_decay, amsgrad, maximize, decoupled: true, "AdamW") { }
}
