namespace Course.Lab;

/// <summary>
/// An in-memory dataset: <see cref="Count"/> samples of shape <see cref="SampleShape"/> stored row-major in
/// <see cref="Data"/>, with optional integer labels. MNIST is <c>[N,1,28,28]</c> in [0,1]; the toy sets are <c>[N,2]</c>.
/// Subsetting returns new datasets with their own arrays, so the source is never changed.
/// </summary>
public sealed partial class Dataset
{
    public Dataset(string name, float[] data, int[] sampleShape, long[]? labels = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sampleShape);
        Name = name;
        SampleShape = sampleShape;
        SampleSize = sampleShape.Aggregate(1, (a, b) => a * b);
        if (SampleSize <= 0 || data.Length % SampleSize != 0)
            throw new ArgumentException(
                $"Dataset '{name}': data length {data.Length} is not a multiple of the sample shape [{string.Join(",", sampleShape)}] ({SampleSize}).");
        Count = data.Length / SampleSize;
        if (labels is not null && labels.Length != Count)
            throw new ArgumentException($"Dataset '{name}': {labels.Length} labels for {Count} samples.");
        Data = data;
        Labels = labels;
    }

    public string Name { get; }

    /// <summary>All samples, row-major: sample i occupies <c>[i*SampleSize, (i+1)*SampleSize)</c>.</summary>
    public float[] Data { get; }

    /// <summary>One label per sample (digit for MNIST, component or class for toy sets), or null.</summary>
    public long[]? Labels { get; }

    public int[] SampleShape { get; }
    public int SampleSize { get; }
    public int Count { get; }
    public bool HasLabels => Labels is not null;

    /// <summary>Shape of the whole set, <c>[Count, ..SampleShape]</c>.</summary>
    public long[] Shape => [Count, .. SampleShape.Select(d => (long)d)];

    /// <summary>The values of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Sample(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"Dataset '{Name}': index {index} outside [0, {Count}).");
        return Data.AsSpan(index * SampleSize, SampleSize);
    }

    /// <summary>The first <paramref name="count"/> samples (all of them if fewer).</summary>
    public Dataset Take(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), $"Dataset '{Name}': Take({count}) needs a count >= 0.");
        return Subset(Enumerable.Range(0, Math.Min(count, Count)).ToArray(), $"{Name}[:{Math.Min(count, Count)}]");
    }

    /// <summary>Only the samples whose label is one of <paramref name="digits"/> (order kept).</summary>
    public Dataset Digits(params int[] digits)
    {
        var labels = Labels ?? throw new InvalidOperationException($"Dataset '{Name}' has no labels to select digits by.");
        ArgumentNullException.ThrowIfNull(digits);
        if (digits.Length == 0)
            throw new ArgumentException($"Dataset '{Name}': Digits() needs at least one digit (0-9).", nameof(digits));
        foreach (var d in digits)
            if (d is < 0 or > 9)
                throw new ArgumentOutOfRangeException(nameof(digits), d,
                    $"Dataset '{Name}': Digits({string.Join(", ", digits)}) has {d}, outside 0-9; it would select no samples.");
        var wanted = digits.Select(d => (long)d).ToHashSet();
        var idx = new List<int>();
        for (int i = 0; i < Count; i++) if (wanted.Contains(labels[i])) idx.Add(i);
        return Subset(idx.ToArray(), $"{Name}(digits {string.Join(",", digits)})");
    }

    /// <summary>The samples at <paramref name="indices"/>, in that order.</summary>
    public Dataset Subset(int[] indices, string? name = null)
    {
        var (data, labels) = Gather(indices);
        return new Dataset(name ?? $"{Name}[subset {indices.Length}]", data, SampleShape, labels);
    }

    /// <summary>A seeded random permutation of the set.</summary>
    public Dataset Shuffle(int seed) => Subset(Permutation(Count, seed), $"{Name}(shuffled {seed})");

    /// <summary>Values above <paramref name="threshold"/> become 1, the rest 0 (MNIST at 0.5 means pixel > 127).</summary>
    public Dataset Binarize(float threshold = 0.5f)
    {
        var data = new float[Data.Length];
        for (int i = 0; i < data.Length; i++) data[i] = Data[i] > threshold ? 1f : 0f;
        return new Dataset($"{Name}(binarized)", data, SampleShape, Labels);
    }

    /// <summary>Copies the samples (and labels) at <paramref name="indices"/> into new arrays.</summary>
    public (float[] Data, long[]? Labels) Gather(ReadOnlySpan<int> indices)
    {
        var data = new float[indices.Length * SampleSize];
        var labels = Labels is null ? null : new long[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            int i = indices[k];
            if ((uint)i >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Dataset '{Name}': index {i} outside [0, {Count}).");
            Array.Copy(Data, (long)i * SampleSize, data, (long)k * SampleSize, SampleSize);
            if (labels is not null) labels[k] = Labels![i];
        }
        return (data, labels);
    }

    /// <summary>How many samples carry each label 0..max.</summary>
    public int[] LabelCounts()
    {
        var labels = Labels ?? throw new InvalidOperationException($"Dataset '{Name}' has no labels.");
        var counts = new int[labels.Length == 0 ? 0 : (int)labels.Max() + 1];
        foreach (var l in labels) counts[l]++;
        return counts;
    }

    /// <summary>
    /// Index lists of the minibatches of one epoch: shuffled by <paramref name="seed"/> when
    /// <paramref name="shuffle"/>, the last partial batch kept unless <paramref name="dropLast"/>.
    /// </summary>
    public static IEnumerable<int[]> BatchIndices(int count, int batchSize, int seed = 0, bool shuffle = true, bool dropLast = false)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"Batch size must be positive, got {batchSize}.");
        var order = shuffle ? Permutation(count, seed) : Enumerable.Range(0, count).ToArray();
        for (int start = 0; start < count; start += batchSize)
        {
            int size = Math.Min(batchSize, count - start);
            if (size < batchSize && dropLast) yield break;
            yield return order.AsSpan(start, size).ToArray();
        }
    }

    /// <summary>Fisher-Yates with a seeded <see cref="Random"/>: the same seed gives the same order everywhere.</summary>
    internal static int[] Permutation(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        return order;
    }

    public override string ToString() =>
        $"Dataset '{Name}': {Count} x [{string.Join(",", SampleShape)}]" + (HasLabels ? " with labels" : "");
}
