using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Course.Lab;

/// <summary>
/// Reads the gzipped IDX files once per process: decompress, verify SHA-256 of the uncompressed bytes,
/// parse the header. The decoded bytes are cached process-wide, keyed by full path.
/// </summary>
internal static class MnistFiles
{
    internal const string TrainImages = "train-images-idx3-ubyte";
    internal const string TrainLabels = "train-labels-idx1-ubyte";
    internal const string TestImages = "t10k-images-idx3-ubyte";
    internal const string TestLabels = "t10k-labels-idx1-ubyte";

    internal static readonly IReadOnlyDictionary<string, string> Sha256 = new Dictionary<string, string>
    {
        [TrainImages] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        [TrainLabels] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        [TestImages] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        [TestLabels] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    };

    /// <summary>Parsed IDX payload: dimensions and the raw unsigned bytes after the header.</summary>
    internal sealed record Idx(int[] Dims, byte[] Bytes, int Offset)
    {
        public ReadOnlySpan<byte> Payload => Bytes.AsSpan(Offset);
    }

    private static readonly ConcurrentDictionary<string, Lazy<Idx>> Cache = new();

    /// <summary>Loads <paramref name="name"/> (without .gz) from <paramref name="directory"/>, verified and cached.</summary>
    internal static Idx Load(string directory, string name)
    {
        var path = Path.GetFullPath(Path.Combine(directory, name + ".gz"));
        var lazy = Cache.GetOrAdd(path, p => new Lazy<Idx>(() => ReadVerified(p, name)));
        try { return lazy.Value; }
        catch
        {
            // Don't cache failures: the student may restore the file and retry in the same session.
            Cache.TryRemove(new KeyValuePair<string, Lazy<Idx>>(path, lazy));
            throw;
        }
    }

    private static string Restore(string path, string name) =>
        $"File: {path}\nExpected SHA-256 of the uncompressed {name}: {Sha256[name]}\n" +
        "Restore it with `git checkout -- data/mnist` from the repository root, or see data/README.md to rebuild it.";

    private static Idx ReadVerified(string path, string name)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"MNIST file missing.\n{Restore(path, name)}", path);

        byte[] bytes;
        try
        {
            using var file = File.OpenRead(path);
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            using var ms = new MemoryStream(capacity: name.Contains("images") ? 47_040_016 : 60_008);
            gz.CopyTo(ms);
            bytes = ms.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new InvalidDataException($"MNIST file is corrupt (gzip: {e.Message}).\n{Restore(path, name)}", e);
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (actual != Sha256[name])
            throw new InvalidDataException(
                $"MNIST file is corrupt: SHA-256 of the uncompressed bytes is {actual} ({bytes.Length:N0} bytes).\n{Restore(path, name)}");
        return Parse(bytes, path);
    }

    /// <summary>IDX: two zero bytes, type 0x08 (ubyte), rank, then big-endian int32 dims, then data.</summary>
    internal static Idx Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08)
            throw new InvalidDataException($"{source}: not an unsigned-byte IDX file (bad magic number).");
        int rank = bytes[3];
        int header = 4 + 4 * rank;
        if (bytes.Length < header) throw new InvalidDataException($"{source}: IDX header truncated.");
        var dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            count *= dims[i];
        }
        if (bytes.Length - header != count)
            throw new InvalidDataException(
                $"{source}: IDX dims [{string.Join(",", dims)}] need {count} bytes of data, found {bytes.Length - header}.");
        return new Idx(dims, bytes, header);
    }
}
