namespace Course.Torch.Modules;

using static Course.Torch.torch;

/// <summary>Flattens dims start_dim..end_dim into one (default: everything but the batch dim).</summary>
public sealed class Flatten : nn.Module<Tensor, Tensor>
{
    readonly long start_dim, end_dim;
    internal Flatten(long start_dim, long end_dim) : base("Flatten") { this.start_dim = start_dim; this.end_dim = end_dim; }
    public override Tensor forward(Tensor input) => input.flatten(start_dim, end_dim);
}

/// <summary>Splits dim into the given sizes (the inverse of Flatten).</summary>
public sealed class Unflatten : nn.Module<Tensor, Tensor>
{
    readonly long dim;
    readonly long[] sizes;
    internal Unflatten(long dim, long[] sizes) : base("Unflatten") { this.dim = dim; this.sizes = sizes; }
    public override Tensor forward(Tensor input) => input.unflatten(dim, sizes);
}

/// <summary>Zeroes elements with probability p in training mode (scaling the rest by 1/(1-p)); identity in eval mode.</summary>
public sealed class Dropout : nn.Module<Tensor, Tensor>
{
    readonly double p;
    internal Dropout(double p) : base("Dropout")
    {
        if (p < 0 || p > 1) throw new ArgumentException($"Dropout: probability must be in [0, 1], got {p}.");
        this.p = p;
    }
    public override Tensor forward(Tensor input) => nn.functional.dropout(input, p, training);
}
