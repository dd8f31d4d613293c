namespace Course.Torch.Modules;

using static Course.Torch.torch;

// Parameter-free elementwise layers: each forwards to the op of the same name.

public sealed class ReLU : nn.Module<Tensor, Tensor>
{
    internal ReLU() : base("ReLU") { }
    public override Tensor forward(Tensor input) => input.relu();
}

public sealed class LeakyReLU : nn.Module<Tensor, Tensor>
{
    public readonly double negative_slope;
    internal LeakyReLU(double negative_slope) : base("LeakyReLU") => this.negative_slope = negative_slope;
    protected override string extra_repr() => $"negative_slope={negative_slope}";

    public override Tensor forward(Tensor input) => input.leaky_relu(negative_slope);
}

public sealed class SiLU : nn.Module<Tensor, Tensor>
{
    internal SiLU() : base("SiLU") { }
    public override Tensor forward(Tensor input) => input.silu();
}

public sealed class GELU : nn.Module<Tensor, Tensor>
{
    readonly string approximate;
    internal GELU(string approximate) : base("GELU") => this.approximate = approximate;
    public override Tensor forward(Tensor input) => input.gelu(approximate);
}

public sealed class Sigmoid : nn.Module<Tensor, Tensor>
{
    internal Sigmoid() : base("Sigmoid") { }
    public override Tensor forward(Tensor input) => input.sigmoid();
}

public sealed class Tanh : nn.Module<Tensor, Tensor>
{
    internal Tanh() : base("Tanh") { }
    public override Tensor forward(Tensor input) => input.tanh();
}

public sealed class Softplus : nn.Module<Tensor, Tensor>
{
    readonly double beta, threshold;
    internal Softplus(double beta, double threshold) : base("Softplus") { this.beta = beta; this.threshold = threshold; }
    public override Tensor forward(Tensor input) => input.softplus(beta, threshold);
}

public sealed class ELU : nn.Module<Tensor, Tensor>
{
    readonly double alpha;
    internal ELU(double alpha) : base("ELU") => this.alpha = alpha;
    public override Tensor forward(Tensor input) => nn.functional.elu(input, alpha);
}

public sealed class Softmax : nn.Module<Tensor, Tensor>
{
    readonly long dim;
    internal Softmax(long dim) : base("Softmax") => this.dim = dim;
    public override Tensor forward(Tensor input) => input.softmax(dim);
}

public sealed class LogSoftmax : nn.Module<Tensor, Tensor>
{
    readonly long dim;
    internal LogSoftmax(long dim) : base("LogSoftmax") => this.dim = dim;
    public override Tensor forward(Tensor input) => input.log_softmax(dim);
}

public sealed class Identity : nn.Module<Tensor, Tensor>
{
    internal Identity() : base("Identity") { }
    public override Tensor forward(Tensor input) => input;
}
