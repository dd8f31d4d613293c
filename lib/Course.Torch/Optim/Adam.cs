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
        public float[] M = [], V = [];
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
            st = new State { M = new float[n], V = new float[n], VMax = amsgrad ? new float[n] : null };
            group.State[index] = st;
        }
        st.Step++;
        double lr = group.LearningRate;
        double bc1 = 1 - Math.Pow(beta1, st.Step), bc2 = 1 - Math.Pow(beta2, st.Step);
        AdamKernel.Step(p, grad, st.M, st.V, st.VMax, amsgrad,
            gradSign: maximize ? -1f : 1f,
            l2: decoupled ? 0f : (float)weight_decay,
            decay: decoupled ? (float)(1 - lr * weight_decay) : 1f,
            b1: (float)beta1, b2: (float)beta2, invBc2: (float)(1 / bc2), stepSize: (float)(lr / bc1), eps: (float)eps);
    }
}

/// <summary>Adam with decoupled weight decay (default 0.01): p *= 1 - lr weight_decay, then the Adam step.</summary>
public sealed class AdamW : Adam
{
    internal AdamW(IEnumerable<optim.ParamGroup> groups, double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize)
        : base(groups, beta1, beta2, eps, weight_decay, amsgrad, maximize, decoupled: true, "AdamW") { }
}
