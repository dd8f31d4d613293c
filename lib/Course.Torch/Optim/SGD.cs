using System.Numerics.Tensors;

namespace Course.Torch.Modules;

using static Course.Torch.torch;

/// <summary>
/// Stochastic gradient descent as PyTorch: d = g + weight_decay p; with momentum, buf = d on the first step and
/// buf = momentum buf + (1 - dampening) d after; d = d + momentum buf (nesterov) or buf; p -= lr d.
/// </summary>
public sealed class SGD : optim.Optimizer
{
    public readonly double momentum, dampening, weight_decay;
    public readonly bool nesterov, maximize;

    sealed class State { public float[]? Buf; public float[] Scratch = []; }

    internal SGD(IEnumerable<optim.ParamGroup> groups, double momentum, double dampening, double weight_decay, bool nesterov, bool maximize) : base(groups, "SGD")
    {
        if (momentum < 0 || weight_decay < 0) throw new ArgumentException($"SGD: momentum ({momentum}) and weight_decay ({weight_decay}) must be non-negative.");
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new ArgumentException("SGD: nesterov momentum requires momentum > 0 and dampening = 0.");
        this.momentum = momentum; this.dampening = dampening; this.weight_decay = weight_decay; this.nesterov = nesterov; this.maximize = maximize;
    }

    private protected override void Update(optim.ParamGroup group, int index, Span<float> p, ReadOnlySpan<float> grad)
    {
        var st = (State?)group.State[index] ?? (State)(group.State[index] = new State { Scratch = new float[p.Length] });
        float lr = (float)group.LearningRate;
        // d = (maximize ? -g : g) + weight_decay p, in scratch.
        var d = st.Scratch.AsSpan();
        if (maximize) TensorPrimitives.Negate(grad, d); else grad.CopyTo(d);
        if (weight_decay != 0) TensorPrimitives.MultiplyAdd(p, (float)weight_decay, d, d);
        if (momentum != 0)
        {
            if (st.Buf is null) st.Buf = d.ToArray();
            else
            {
                var buf = st.Buf.AsSpan();
                TensorPrimitives.Multiply(buf, (float)momentum, buf);
                TensorPrimitives.MultiplyAdd(d, (float)(1 - dampening), buf, buf);
            }
            if (nesterov) TensorPrimitives.MultiplyAdd(st.Buf, (float)momentum, d, d);
            else st.Buf.CopyTo(d);
        }
        TensorPrimitives.MultiplyAdd(d, -lr, p, p);
    }
}
