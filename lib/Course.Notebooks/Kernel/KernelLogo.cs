using System.IO.Compression;

namespace Course.Notebooks.Kernel;

/// <summary>
/// The kernelspec's logos (logo-32x32.png, logo-64x64.png), drawn in code so the installed kernel needs no asset
/// files next to the assembly: "C#" in white on the course's purple, as an 8-bit RGBA PNG.
/// </summary>
public static class KernelLogo
{
    // 5x7 glyphs for 'C' and '#'.
    private static readonly string[] Glyphs =
    [
        ".###.#...##....#....#....#...#.###.",
        ".#.#.#####.#.#..#.#.#####.#.#..#.#.",
    ];

    public static byte[] Png(int size)
    {
        if (size < 16) throw new ArgumentOutOfRangeException(nameof(size), size, "logo size must be at least 16 pixels");
        int scale = Math.Max(1, size / 16);
        int textWidth = (5 + 1 + 5) * scale, textHeight = 7 * scale;
        int left = (size - textWidth) / 2, top = (size - textHeight) / 2;
        var rgba = new byte[size * size * 4];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                int i = (y * size + x) * 4;
                bool corner = Math.Min(x, size - 1 - x) + Math.Min(y, size - 1 - y) < size / 8; // cut corners
                bool ink = InGlyph(x - left, y - top, scale);
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = corner ? ((byte)0, (byte)0, (byte)0, (byte)0)
                    : ink ? ((byte)255, (byte)255, (byte)255, (byte)255) : ((byte)104, (byte)33, (byte)122, (byte)255);
            }
        return Encode(rgba, size, size);
    }

    private static bool InGlyph(int x, int y, int scale)
    {
        if (x < 0 || y < 0) return false;
        int gx = x / scale, gy = y / scale;
        if (gy >= 7) return false;
        int glyph = gx < 5 ? 0 : gx >= 6 && gx < 11 ? 1 : -1;
        if (glyph < 0) return false;
        int col = glyph == 0 ? gx : gx - 6;
        return Glyphs[glyph][gy * 5 + col] == '#';
    }

    private static byte[] Encode(byte[] rgba, int width, int height)
    {
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            for (int y = 0; y < height; y++)
            {
                z.WriteByte(0); // filter: none
                z.Write(rgba, y * width * 4, width * 4);
            }
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        WriteBigEndian(header, 0, width);
        WriteBigEndian(header, 4, height);
        header[8] = 8; // bit depth
        header[9] = 6; // RGBA
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        WriteBigEndian(length, 0, data.Length);
        png.Write(length);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        png.Write(typed);
        var crc = new byte[4];
        WriteBigEndian(crc, 0, (int)Crc32(typed));
        png.Write(crc);
    }

    // PNG's CRC-32 (IEEE, reflected); System.IO.Hashing is a package we do not need for 3 chunks.
    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    private static void WriteBigEndian(byte[] buffer, int offset, int value) =>
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(offset), value);
}
