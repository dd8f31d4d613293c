using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Course.Lab.Tests;

public class PngTests
{
    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0xAE426082u, Crc32.Compute("IEND"u8)); // every PNG ends with this CRC
    }

    /// <summary>Parses chunks, checks each CRC, and returns (width, height, colour type, inflated filtered data).</summary>
    internal static (int W, int H, int ColorType, byte[] Raw) Decode(byte[] png)
    {
        Assert.Equal(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, png[..8]);
        int pos = 8, w = 0, h = 0, colorType = -1;
        var idat = new MemoryStream();
        var types = new List<string>();
        while (pos < png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var typeAndData = png.AsSpan(pos + 4, 4 + len);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + len));
            Assert.Equal(Crc32.Compute(typeAndData), crc);
            types.Add(type);
            var data = png.AsSpan(pos + 8, len);
            if (type == "IHDR")
            {
                w = BinaryPrimitives.ReadInt32BigEndian(data);
                h = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                colorType = data[9];
            }
            if (type == "IDAT") idat.Write(data);
            pos += 12 + len;
        }
        Assert.Equal("IHDR", types[0]);
        Assert.Equal("IEND", types[^1]);
        Assert.Equal(png.Length, pos);
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        return (w, h, colorType, raw.ToArray());
    }

    /// <summary>Undoes PNG filters None (0) and Sub (1).</summary>
    internal static byte[] Unfilter(byte[] raw, int w, int h, int channels)
    {
        int stride = w * channels;
        Assert.Equal(h * (stride + 1), raw.Length);
        var pixels = new byte[h * stride];
        for (int y = 0; y < h; y++)
        {
            byte filter = raw[y * (stride + 1)];
            Assert.True(filter is 0 or 1, $"unexpected filter {filter}");
            for (int x = 0; x < stride; x++)
            {
                byte v = raw[y * (stride + 1) + 1 + x];
                if (filter == 1 && x >= channels) v = (byte)(v + pixels[y * stride + x - channels]);
                pixels[y * stride + x] = v;
            }
        }
        return pixels;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Encoded_png_has_valid_crcs_and_inflates_to_the_same_pixels(int channels)
    {
        int w = 37, h = 13;
        var rng = new Random(1);
        var pixels = new byte[w * h * channels];
        rng.NextBytes(pixels);
        var png = PngEncoder.Encode(pixels, w, h, channels);
        var (dw, dh, colorType, raw) = Decode(png);
        Assert.Equal((w, h), (dw, dh));
        Assert.Equal(channels == 1 ? 0 : 2, colorType);
        Assert.Equal(pixels, Unfilter(raw, w, h, channels));
    }

    [Fact]
    public void Wrong_buffer_size_is_named()
    {
        var e = Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[10], 4, 4));
        Assert.Contains("4x4", e.Message);
        Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[16], 4, 4, channels: 2));
    }
}
