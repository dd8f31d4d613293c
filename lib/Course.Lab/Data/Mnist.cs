using System.Numerics.Tensors;

namespace Course.Lab;

/// <summary>
/// MNIST from the repository's <c>data/mnist</c> (gzipped IDX, checksums verified on first load; the decoded
/// bytes are cached for the whole process, so later loads only convert bytes to floats).
/// </summary>
public static class Mnist
{
    public const int Height = 28;
    public const int Width = 28;
    public const int Pixels = Height * Width;

    /// <summary>The 60,000 training images as <c>[N,1,28,28]</c> in [0,1] with digit labels.</summary>
    public static Dataset Train(bool binarized = false, string? dataDirectory = null) => Load(train: true, binarized, dataDirectory);

    /// <summary>The 10,000 test images as <c>[N,1,28,28]</c> in [0,1] with digit labels.</summary>
    public static Dataset Test(bool binarized = false, string? dataDirectory = null) => Load(train: false, binarized, dataDirectory);

    /// <summary>Loads a split; binarized means pixel &gt; 127 (threshold 0.5) becomes 1.</summary>
    public static Dataset Load(bool train, bool binarized = false, string? dataDirectory = null)
    {
        var (pixels, labels) = LoadBytes(train, dataDirectory);
        var data = ToFloats(pixels, binarized);
        var longLabels = new long[labels.Count];
        TensorPrimitives.ConvertTruncating<byte, long>(labels, longLabels);
        var name = (train ? "mnist-train" : "mnist-test") + (binarized ? "-binarized" : "");
        return new Dataset(name, data, [1, Height, Width], longLabels);
    }

    /// <summary>The raw pixel bytes (N*784, 0..255) and labels of a split, verified and cached. Do not modify.</summary>
    public static (ReadOnlyMemory<byte> Pixels, ReadOnlyMemory<byte> Labels) RawBytes(bool train, string? dataDirectory = null)
    {
        var (p, l) = LoadBytes(train, dataDirectory);
        return (p, l);
    }

    private static (ArraySegment<byte> Pixels, ArraySegment<byte> Labels) LoadBytes(bool train, string? dataDirectory)
    {
        var dir = DataLocator.FindMnistDirectory(dataDirectory);
        var images = MnistFiles.Load(dir, train ? MnistFiles.TrainImages : MnistFiles.TestImages);
        var labels = MnistFiles.Load(dir, train ? MnistFiles.TrainLabels : MnistFiles.TestLabels);
        if (images.Dims.Length != 3 || images.Dims[1] != Height || images.Dims[2] != Width || labels.Dims.Length != 1 ||
            labels.Dims[0] != images.Dims[0])
            throw new InvalidDataException(
                $"MNIST in {dir}: images [{string.Join(",", images.Dims)}] and labels [{string.Join(",", labels.Dims)}] do not match.");
        return (new ArraySegment<byte>(images.Bytes, images.Offset, images.Bytes.Length - images.Offset),
                new ArraySegment<byte>(labels.Bytes, labels.Offset, labels.Bytes.Length - labels.Offset));
    }

    /// <summary>Bytes to [0,1] floats (b / 255, exactly as a scalar divide would give) or to {0,1} (b &gt; 127), SIMD, in parallel chunks.</summary>
    internal static float[] ToFloats(ReadOnlyMemory<byte> pixels, bool binarized)
    {
        // Every element is written below, so skip zeroing 188 MB first.
        var data = GC.AllocateUninitializedArray<float>(pixels.Length);
        const int chunk = 1 << 20;
        int chunks = (pixels.Length + chunk - 1) / chunk;
        Parallel.For(0, chunks, k =>
        {
            int start = k * chunk, length = Math.Min(chunk, pixels.Length - start);
            var src = pixels.Span.Slice(start, length);
            var dst = data.AsSpan(start, length);
            if (binarized)
            {
                // b > 127 exactly when the top bit is set, so b >> 7 is the binarized pixel.
                var bits = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
                TensorPrimitives.ShiftRightLogical<byte>(src, 7, bits.AsSpan(0, length));
                TensorPrimitives.ConvertTruncating<byte, float>(bits.AsSpan(0, length), dst);
                System.Buffers.ArrayPool<byte>.Shared.Return(bits);
            }
            else
            {
                TensorPrimitives.ConvertTruncating<byte, float>(src, dst);
                TensorPrimitives.Divide(dst, 255f, dst);
            }
        });
        return data;
    }
}
