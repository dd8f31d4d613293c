using System.Buffers.Binary;
using System.IO.Compression;

namespace Course.Lab;

/// <summary>
/// A minimal PNG writer: 8-bit greyscale or RGB, one IDAT chunk compressed with <see cref="ZLibStream"/>,
/// scanline filter "Sub" (cheap, and it shrinks flat backgrounds and smooth gradients well).
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>Encodes <paramref name="pixels"/> (row-major, <paramref name="channels"/> = 1 grey or 3 RGB bytes per pixel).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels = 1)
    {
        if (channels is not (1 or 3))
            throw new ArgumentException($"PNG: channels must be 1 (grey) or 3 (RGB), got {channels}.", nameof(channels));
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"PNG: image size {width}x{height} must be positive.");
        if (pixels.Length != (long)width * height * channels)
            throw new ArgumentException(
                $"PNG: {pixels.Length} bytes for a {width}x{height} image with {channels} channel(s) (needs {(long)width * height * channels}).");

        int stride = width * channels;
        var filtered = new byte[height * (stride + 1)];
        for (int y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * stride, stride);
            var dst = filtered.AsSpan(y * (stride + 1), stride + 1);
            dst[0] = 1; // Sub: each byte minus the same channel of the pixel to its left
            for (int x = 0; x < stride; x++)
                dst[x + 1] = (byte)(row[x] - (x >= channels ? row[x - channels] : 0));
        }

        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            z.Write(filtered);

        using var png = new MemoryStream();
        png.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;                              // bit depth
        ihdr[9] = (byte)(channels == 1 ? 0 : 2);  // colour type: grey or truecolour
        ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0; // deflate, adaptive filtering, no interlace
        WriteChunk(png, "IHDR", ihdr);
        WriteChunk(png, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> buf = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buf, data.Length);
        s.Write(buf);
        Span<byte> typeBytes = stackalloc byte[4];
        for (int i = 0; i < 4; i++) typeBytes[i] = (byte)type[i];
        s.Write(typeBytes);
        s.Write(data);
        // The CRC covers the chunk type and data, not the length.
        uint crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(buf, crc);
        s.Write(buf);
    }
}
