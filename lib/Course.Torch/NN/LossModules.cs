namespace Course.Torch.Modules;

using static Course.Torch.torch;
using Reduction = Course.Torch.torch.nn.Reduction;

/// <summary>Base of the loss modules: called with forward(prediction, target) or call(prediction, target).</summary>
public abstract class Loss<T1, T2, TResult> : nn.Module<T1, T2, TResult>
{
    public readonly Reduction reduction;
    protected Loss(string name, Reduction reduction) : base(name) => this.reduction = reduction;
}

public sealed class MSELoss : Loss<Tensor, Tensor, Tensor>
{
    internal MSELoss(Reduction reduction) : base("MSELoss", reduction) { }
    public override Tensor forward(Tensor input, Tensor target) => nn.functional.mse_loss(input, target, reduction);
}

public sealed class L1Loss : Loss<Tensor, Tensor, Tensor>
{
    internal L1Loss(Reduction reduction) : base("L1Loss", reduction) { }
    public override Tensor forward(Tensor input, Tensor target) => nn.functional.l1_loss(input, target, reduction);
}

public sealed class BCELoss : Loss<Tensor, Tensor, Tensor>
{
    readonly Tensor? weight;
    internal BCELoss(Tensor? weight, Reduction reduction) : base("BCELoss", reduction) => this.weight = weight;
    public override Tensor forward(Tensor input, Tensor target) => nn.functional.binary_cross_entropy(input, target, weight, reduction);
}

public sealed class BCEWithLogitsLoss : Loss<Tensor, Tensor, Tensor>
{
    readonly Tensor? weight, pos_weights;
    internal BCEWithLogitsLoss(Tensor? weight, Reduction reduction, Tensor? pos_weights) : base("BCEWithLogitsLoss", reduction)
    {
        this.weight = weight; this.pos_weights = pos_weights;
    }
    public override Tensor forward(Tensor input, Tensor target) => nn.functional.binary_cross_entropy_with_logits(input, target, weight, reduction, pos_weights);
}

public sealed class CrossEntropyLoss : Loss<Tensor, Tensor, Tensor>
{
    readonly Tensor? weight;
    readonly long ignore_index;
    readonly double label_smoothing;
    internal CrossEntropyLoss(Tensor? weight, long? ignore_index, Reduction reduction, double label_smoothing) : base("CrossEntropyLoss", reduction)
    {
        this.weight = weight; this.ignore_index = ignore_index ?? -100; this.label_smoothing = label_smoothing;
    }
    public override Tensor forward(Tensor input, Tensor target) => nn.functional.cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing);
}

public sealed class NLLLoss : Loss<Tensor, Tensor, Tensor>
{
    readonly Tensor? weight;
    readonly long ignore_index;
    internal NLLLoss(Tensor? weight, long ignore_index, Reduction reduction) : base("NLLLoss", reduction) { this.weight = weight; this.ignore_index = ignore_index; }
    public override Tensor forward(Tensor input, Tensor target) => nn.functional.nll_loss(input, target, weight, reduction, ignore_index);
}

public sealed class KLDivLoss : Loss<Tensor, Tensor, Tensor>
{
    readonly bool log_target;
    internal KLDivLoss(Reduction reduction, bool log_target) : base("KLDivLoss", reduction) => this.log_target = log_target;
    public override Tensor forward(Tensor input, Tensor target) => nn.functional.kl_div(input, target, reduction, log_target);
}

/// <summary>Gaussian NLL: forward(input, target, variance).</summary>
public sealed class GaussianNLLLoss : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    readonly bool full;
    readonly double eps;
    readonly Reduction reduction;
    internal GaussianNLLLoss(bool full, double eps, Reduction reduction) : base("GaussianNLLLoss") { this.full = full; this.eps = eps; this.reduction = reduction; }
    public override Tensor forward(Tensor input, Tensor target, Tensor variance) => nn.functional.gaussian_nll_loss(input, target, variance, full, eps, reduction);
}
