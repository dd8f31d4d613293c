using TorchSharp;

namespace Course.Lab;

// The tensor side of a dataset: the whole set as tensors and seeded minibatches.
public sealed partial class Dataset
{
    /// <summary>
    /// All samples as a float32 tensor <c>[N, ..SampleShape]</c> (MNIST: <c>[N,1,28,28]</c>). Each read is a fresh copy
    /// (torch.tensor copies, as in PyTorch; ~20 ms for the 60k training set), so in-place ops on it never change the
    /// dataset; keep it in a variable rather than reading it in a loop.
    /// </summary>
    public torch.Tensor X => torch.tensor(Data, Shape);

    /// <summary>The labels as an int64 tensor <c>[N]</c> (a copy of <see cref="Labels"/>).</summary>
    public torch.Tensor Y => torch.tensor(Labels ?? throw NoLabels(), [(long)Count]);

    /// <summary>
    /// One epoch of (x, y) minibatches: x is <c>[B, ..SampleShape]</c> float32, y is <c>[B]</c> int64. Shuffled by
    /// <paramref name="seed"/> (pass the epoch number, e.g. <c>seed: epoch</c>, for a new order each epoch); the last
    /// partial batch is kept unless <paramref name="dropLast"/>.
    /// Each batch's native memory is freed when the loop moves on to the next batch (as TorchSharp's
    /// <c>DataLoader</c> does), so a training loop allocates no more than one batch at a time; <c>clone()</c> a batch
    /// to keep it beyond its iteration.
    /// </summary>
    public IEnumerable<(torch.Tensor x, torch.Tensor y)> Batches(int batchSize, int seed = 0, bool shuffle = true, bool dropLast = false)
    {
        if (Labels is null) throw NoLabels();
        return OwnedBatches(BatchIndices(Count, batchSize, seed, shuffle, dropLast), idx =>
        {
            var (data, labels) = Gather(idx);
            return new[] { torch.tensor(data, BatchShape(idx.Length)), torch.tensor(labels!, [(long)idx.Length]) };
        }).Select(b => (b[0], b[1]));
    }

    /// <summary>Minibatches of inputs only, for unlabelled sets (ring, swiss roll) or when labels are not needed; freed as in <see cref="Batches"/>.</summary>
    public IEnumerable<torch.Tensor> XBatches(int batchSize, int seed = 0, bool shuffle = true, bool dropLast = false) =>
        OwnedBatches(BatchIndices(Count, batchSize, seed, shuffle, dropLast),
            idx => new[] { torch.tensor(Gather(idx).Data, BatchShape(idx.Length)) }).Select(b => b[0]);

    // The iterator owns each batch: outside any dispose scope the caller opens (a step's scope would otherwise free
    // it mid-iteration, or an outer one keep every batch alive), and disposed once the next one is asked for.
    private static IEnumerable<torch.Tensor[]> OwnedBatches(IEnumerable<int[]> batches, Func<int[], torch.Tensor[]> make)
    {
        foreach (var idx in batches)
        {
            var tensors = make(idx);
            foreach (var t in tensors) t.DetachFromDisposeScope();
            try { yield return tensors; }
            finally { foreach (var t in tensors) t.Dispose(); }
        }
    }

    /// <summary>
    /// A dataset from tensors: x is <c>[N, ...]</c> (copied to float32; int64 and bool converted, bool as 0/1), y an optional
    /// <c>[N]</c> of integer labels (int64, bool as 0/1, or whole-valued float32).
    /// </summary>
    public static Dataset FromTensors(torch.Tensor x, torch.Tensor? y = null, string name = "tensors")
    {
        var shape = x.shape;
        if (shape.Length < 1)
            throw new ArgumentException($"Dataset.FromTensors: x must have a batch dimension, got shape [{string.Join(", ", shape)}].");
        if (y is not null && (y.shape.Length != 1 || y.shape[0] != shape[0]))
            throw new ArgumentException(
                $"Dataset.FromTensors: y has shape [{string.Join(", ", y.shape)}], expected [{shape[0]}] to match x [{string.Join(", ", shape)}].");
        var sample = shape.Length == 1 ? [1] : shape[1..].Select(d => (int)d).ToArray();
        return new Dataset(name, TensorValues.Floats(x, "Dataset.FromTensors"), sample,
            y is null ? null : TensorValues.Labels(y, "Dataset.FromTensors"));
    }

    private long[] BatchShape(int n) => [n, .. SampleShape.Select(d => (long)d)];

    private InvalidOperationException NoLabels() =>
        new($"Dataset '{Name}' has no labels; use XBatches (or X) for its inputs.");
}
