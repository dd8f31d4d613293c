namespace Course.Torch.Modules;

using static Course.Torch.torch;

/// <summary>
/// Batch normalisation shared by BatchNorm1d and BatchNorm2d: weight/bias parameters, running_mean, running_var
/// and num_batches_tracked buffers (PyTorch's names and order). Training uses batch statistics and updates the
/// running ones (momentum 0.1); eval uses the running ones.
/// </summary>
public abstract class BatchNorm : nn.Module<Tensor, Tensor>
{
    public Parameter? weight;
    public Parameter? bias;
    public Tensor? running_mean;
    public Tensor? running_var;
    public Tensor? num_batches_tracked;
    public readonly long num_features;
    public readonly double eps, momentum;
    readonly int[] ranks;

    private protected BatchNorm(string name, long num_features, double eps, double momentum, bool affine, bool track_running_stats, int[] ranks) : base(name)
    {
        if (num_features <= 0) throw new ArgumentException($"{name}: num_features must be positive, got {num_features}.");
        this.num_features = num_features; this.eps = eps; this.momentum = momentum; this.ranks = ranks;
        if (affine) { weight = new Parameter(ones(num_features)); bias = new Parameter(zeros(num_features)); }
        if (track_running_stats)
        {
            running_mean = zeros(num_features);
            running_var = ones(num_features);
            num_batches_tracked = tensor(0L);
        }
        RegisterComponents();
    }

    protected override string extra_repr() => $"{num_features}, eps={eps}, momentum={momentum}";

    public override Tensor forward(Tensor input)
    {
        if (!ranks.Contains(input.shp.Length) || input.shp[1] != num_features)
            throw new ArgumentException($"{GetName()}: expected input of rank {string.Join(" or ", ranks)} with {num_features} channels in dim 1, got shape {input.ShapeStr}.");
        bool useBatch = training || running_mean is null;
        if (training && num_batches_tracked is not null)
            using (no_grad()) num_batches_tracked.add_(1);
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, useBatch, momentum, eps);
    }
}

public sealed class BatchNorm1d : BatchNorm
{
    internal BatchNorm1d(long num_features, double eps, double momentum, bool affine, bool track_running_stats)
        : base("BatchNorm1d", num_features, eps, momentum, affine, track_running_stats, [2, 3]) { }
}

public sealed class BatchNorm2d : BatchNorm
{
    internal BatchNorm2d(long num_features, double eps, double momentum, bool affine, bool track_running_stats)
        : base("BatchNorm2d", num_features, eps, momentum, affine, track_running_stats, [4]) { }
}

/// <summary>Normalises over the trailing normalized_shape dims; elementwise weight (ones) and bias (zeros).</summary>
public sealed class LayerNorm : nn.Module<Tensor, Tensor>
{
    public Parameter? weight;
    public Parameter? bias;
    public readonly long[] normalized_shape;
    public readonly double eps;

    internal LayerNorm(long[] normalized_shape, double eps, bool elementwise_affine) : base("LayerNorm")
    {
        this.normalized_shape = normalized_shape; this.eps = eps;
        if (elementwise_affine) { weight = new Parameter(ones(normalized_shape)); bias = new Parameter(zeros(normalized_shape)); }
        RegisterComponents();
    }

    protected override string extra_repr() => $"({string.Join(", ", normalized_shape)}), eps={eps}";

    public override Tensor forward(Tensor input) => nn.functional.layer_norm(input, normalized_shape, weight, bias, eps);
}

/// <summary>Normalises groups of channels per sample; per-channel weight (ones) and bias (zeros).</summary>
public sealed class GroupNorm : nn.Module<Tensor, Tensor>
{
    public Parameter? weight;
    public Parameter? bias;
    public readonly long num_groups, num_channels;
    public readonly double eps;

    internal GroupNorm(long num_groups, long num_channels, double eps, bool affine) : base("GroupNorm")
    {
        if (num_groups <= 0 || num_channels % num_groups != 0)
            throw new ArgumentException($"GroupNorm: num_channels {num_channels} must be divisible by num_groups {num_groups}.");
        this.num_groups = num_groups; this.num_channels = num_channels; this.eps = eps;
        if (affine) { weight = new Parameter(ones(num_channels)); bias = new Parameter(zeros(num_channels)); }
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => nn.functional.group_norm(input, num_groups, weight, bias, eps);
}

/// <summary>A lookup table [num_embeddings, embedding_dim] initialised N(0, 1); input is Int64 indices of any shape.</summary>
public sealed class Embedding : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    public readonly long num_embeddings, embedding_dim;

    internal Embedding(long num_embeddings, long embedding_dim) : base("Embedding")
    {
        if (num_embeddings <= 0 || embedding_dim <= 0) throw new ArgumentException($"Embedding: sizes must be positive, got ({num_embeddings}, {embedding_dim}).");
        this.num_embeddings = num_embeddings; this.embedding_dim = embedding_dim;
        weight = new Parameter(empty(num_embeddings, embedding_dim));
        nn.init.normal_(weight);
        RegisterComponents();
    }

    protected override string extra_repr() => $"{num_embeddings}, {embedding_dim}";

    public override Tensor forward(Tensor input)
    {
        if (input.dt != ScalarType.Int64) throw new ArgumentException($"Embedding: input must be Int64 indices, got {input.dt} of shape {input.ShapeStr}.");
        var flat = input.reshape(-1);
        // Check here so the error names embedding, the bad index and the table size (index_select would name itself).
        foreach (var i in flat.contiguous().LSpan)
            if (i < 0 || i >= num_embeddings)
                throw new ArgumentOutOfRangeException(nameof(input), $"embedding: index {i} is out of range for {num_embeddings} embeddings (valid 0..{num_embeddings - 1}); input shape {input.ShapeStr}.");
        var rows = weight.index_select(0, flat);
        return rows.reshape([.. input.shape, embedding_dim]);
    }
}
