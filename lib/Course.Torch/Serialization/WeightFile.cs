using System.Buffers.Binary;
using System.Text;
using Course.Shared;

namespace Course.Torch.Serialization;

using static torch;

/// <summary>
/// TorchSharp's weight-file format (module.save / module.load): a LEB128 entry count; per entry the key as a
/// LEB128-length-prefixed UTF-8 string (BinaryWriter.Write(string)), a LEB128 dtype code (Float32 = 6, Int64 = 4,
/// Bool = 11), LEB128 rank, LEB128 dims, then the elements as raw little-endian bytes.
/// </summary>
public static class WeightFile
{
    /// <summary>Writes to a temporary file next to path, then moves it over path (never half-written).</summary>
    public static void Save(IReadOnlyDictionary<string, Tensor> dict, string path)
        => AtomicFile.Write(path, stream => Write(dict, stream));

    public static void Write(IReadOnlyDictionary<string, Tensor> dict, Stream stream)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        Leb128.Write(w, dict.Count);
        foreach (var (key, t) in dict)
        {
            w.Write(key);
            Leb128.Write(w, (long)t.dt);
            Leb128.Write(w, t.shp.Length);
            foreach (var d in t.shp) Leb128.Write(w, d);
            WriteData(w, t);
        }
    }

    static void WriteData(BinaryWriter w, Tensor t)
    {
        var c = t.contig ? t : Strided.Contiguous(t);
        switch (t.dt)
        {
            case ScalarType.Float32:
                if (BitConverter.IsLittleEndian) w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(c.FSpan));
                else foreach (var v in c.FSpan) w.Write(v);
                break;
            case ScalarType.Int64:
                if (BitConverter.IsLittleEndian) w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(c.LSpan));
                else foreach (var v in c.LSpan) w.Write(v);
                break;
            case ScalarType.Bool:
                foreach (var v in c.BSpan) w.Write((byte)(v ? 1 : 0));
                break;
            default: throw new NotSupportedException($"save: dtype {t.dt} cannot be written.");
        }
    }

    /// <summary>Reads every entry of a weight file. Errors name the file, the key and what was wrong.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"load: weight file '{path}' does not exist.", path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read);
        return Read(fs, $"'{path}'");
    }

    public static Dictionary<string, Tensor> Read(Stream stream, string source)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var dict = new Dictionary<string, Tensor>();
        string key = "(entry count)";
        try
        {
            long n = Leb128.Read(r);
            if (n < 0 || n > 1_000_000) throw new InvalidDataException($"load: {source} is not a weight file (entry count {n}).");
            for (long i = 0; i < n; i++)
            {
                key = $"(key of entry {i})";
                key = r.ReadString();
                long code = Leb128.Read(r);
                var dt = code switch
                {
                    6 => ScalarType.Float32,
                    4 => ScalarType.Int64,
                    11 => ScalarType.Bool,
                    _ => throw new InvalidDataException($"load: {source}, key '{key}': dtype code {code} is not supported (Float32 = 6, Int64 = 4, Bool = 11)."),
                };
                long rank = Leb128.Read(r);
                if (rank < 0 || rank > 16) throw new InvalidDataException($"load: {source}, key '{key}': invalid rank {rank}.");
                var shape = new int[rank];
                long numel = 1;
                for (int d = 0; d < rank; d++)
                {
                    long v = Leb128.Read(r);
                    if (v < 0 || v > int.MaxValue) throw new InvalidDataException($"load: {source}, key '{key}': invalid size {v} at dim {d}.");
                    shape[d] = (int)v; numel *= v;
                }
                if (numel > int.MaxValue) throw new InvalidDataException($"load: {source}, key '{key}': {numel} elements is too many.");
                if (!dict.TryAdd(key, ReadData(r, shape, dt, (int)numel, source, key)))
                    throw new InvalidDataException($"load: {source}: key '{key}' appears twice.");
            }
            return dict;
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"load: {source} is truncated: it ended while reading key '{key}'.");
        }
    }

    static Tensor ReadData(BinaryReader r, int[] shape, ScalarType dt, int numel, string source, string key)
    {
        var t = Tensor.Empty(shape, dt);
        int width = dt switch { ScalarType.Float32 => 4, ScalarType.Int64 => 8, _ => 1 };
        var bytes = r.ReadBytes(checked(numel * width));
        if (bytes.Length != numel * width)
            throw new InvalidDataException($"load: {source} is truncated: key '{key}' needs {numel * width} bytes of data, only {bytes.Length} remain.");
        switch (dt)
        {
            case ScalarType.Float32:
                for (int i = 0; i < numel; i++) t.storage.F![i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
                break;
            case ScalarType.Int64:
                for (int i = 0; i < numel; i++) t.storage.L![i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * 8));
                break;
            default:
                for (int i = 0; i < numel; i++) t.storage.B![i] = bytes[i] != 0;
                break;
        }
        return t;
    }
}

/// <summary>Unsigned LEB128 (7 bits per byte, high bit = more), as TorchSharp's Encode/Decode.</summary>
internal static class Leb128
{
    public static void Write(BinaryWriter w, long value)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), $"LEB128: cannot encode negative value {value}.");
        ulong v = (ulong)value;
        do
        {
            byte b = (byte)(v & 0x7F);
            v >>= 7;
            if (v != 0) b |= 0x80;
            w.Write(b);
        } while (v != 0);
    }

    public static long Read(BinaryReader r)
    {
        long result = 0; int shift = 0;
        while (true)
        {
            byte b = r.ReadByte();
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
            shift += 7;
            if (shift > 63) throw new InvalidDataException("LEB128: value does not fit in 64 bits.");
        }
    }
}
