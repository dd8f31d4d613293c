using System.Net;

namespace Course.Lab;

/// <summary>
/// Images tiled into one PNG: nearest-neighbour upscaling so 28x28 digits are readable, padding between tiles,
/// optional captions under each tile and a title row, in our 3x5 bitmap font. Values map [min,max] to black..white
/// (or through a colormap). Displays as image/png and as an HTML &lt;img&gt;.
/// </summary>
[TypeFormatterSource(typeof(MimeFormatterSource<ImageGrid>), PreferredMimeTypes = ["image/png", "text/html"])]
public sealed partial class ImageGrid : IMimeRenderable
{
    private ImageGrid(byte[] png, int width, int height, int count, string? title)
    {
        Png = png;
        Width = width;
        Height = height;
        Count = count;
        Title = title;
    }

    /// <summary>The encoded PNG.</summary>
    public byte[] Png { get; }

    public int Width { get; }
    public int Height { get; }
    public int Count { get; }
    public string? Title { get; }

    /// <summary>
    /// Tiles images given as row-major values with dims <c>[N,1,H,W]</c>, <c>[N,H,W]</c>, <c>[H,W]</c> or <c>[N,3,H,W]</c> (RGB).
    /// </summary>
    /// <param name="columns">Tiles per row; default: all in one row up to 10, else a near-square grid.</param>
    /// <param name="scale">Pixel upscaling; 0 picks one that makes tiles at least 56 pixels.</param>
    /// <param name="range">Values mapped to black and white; default [0,1]. Ignored when <paramref name="normalize"/>.</param>
    /// <param name="normalize">Use the data's own min and max (symmetric about 0 for <see cref="Colormap.Diverging"/>).</param>
    public static ImageGrid From(float[] data, int[] dims, int? columns = null, int scale = 0, int padding = 2,
        IReadOnlyList<string>? captions = null, string? title = null, (double Min, double Max)? range = null,
        bool normalize = false, Colormap colormap = Colormap.Grey)
    {
        var (n, channels, h, w) = ParseDims(data.Length, dims);
        if (captions is not null && captions.Count != n)
            throw new ArgumentException($"ImageGrid: {captions.Count} captions for {n} images.", nameof(captions));
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), $"ImageGrid: padding {padding} must be >= 0.");
        int cols = Math.Max(1, Math.Min(n, columns ?? (n <= 10 ? n : (int)Math.Ceiling(Math.Sqrt(n)))));
        int rows = (n + cols - 1) / cols;
        if (scale <= 0) scale = Math.Max(1, (int)Math.Ceiling(56.0 / Math.Max(h, w)));

        var (lo, hi) = normalize ? DataRange(data, colormap) : range ?? (0.0, 1.0);
        double span = hi - lo;
        if (!(span > 0)) span = 1;

        int tileW = w * scale, tileH = h * scale;
        int fontScale = tileW >= 56 ? 2 : 1;
        int captionH = captions is null ? 0 : BitmapFont.GlyphHeight * fontScale + 4;
        int titleH = title is null ? 0 : BitmapFont.GlyphHeight * 2 + 2 * padding + 4;
        int width = Math.Max(cols * tileW + (cols + 1) * padding, title is null ? 0 : BitmapFont.Measure(title, 2) + 2 * padding + 4);
        int height = titleH + rows * (tileH + captionH) + (rows + 1) * padding;
        bool rgb = channels == 3 || colormap != Colormap.Grey;
        int outCh = rgb ? 3 : 1;

        var canvas = new byte[(long)width * height * outCh];
        Array.Fill(canvas, (byte)255); // white page: tiles, captions and title sit on it
        Span<byte> color = stackalloc byte[3];
        ReadOnlySpan<byte> ink = [48, 48, 48];

        if (title is not null)
            BitmapFont.Draw(canvas, width, outCh, title, padding + 2, padding + 2, 2, ink, width - padding);

        for (int k = 0; k < n; k++)
        {
            int r = k / cols, c = k % cols;
            int ox = padding + c * (tileW + padding);
            int oy = titleH + padding + r * (tileH + captionH + padding);
            int imageOffset = k * channels * h * w;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    if (channels == 3)
                        for (int ch = 0; ch < 3; ch++)
                            color[ch] = ToByte((data[imageOffset + (ch * h + y) * w + x] - lo) / span);
                    else
                        ColormapTable.Lookup(colormap, (data[imageOffset + y * w + x] - lo) / span, color);
                    for (int sy = 0; sy < scale; sy++)
                    {
                        long row = (long)(oy + y * scale + sy) * width;
                        for (int sx = 0; sx < scale; sx++)
                        {
                            long o = (row + ox + x * scale + sx) * outCh;
                            for (int ch = 0; ch < outCh; ch++) canvas[o + ch] = color[ch];
                        }
                    }
                }
            if (captions is not null && captions[k] is { Length: > 0 } caption)
            {
                int textW = BitmapFont.Measure(caption, fontScale);
                int tx = ox + Math.Max(0, (tileW - textW) / 2);
                BitmapFont.Draw(canvas, width, outCh, caption, tx, oy + tileH + 2, fontScale, ink, tileW - (tx - ox));
            }
        }
        return new ImageGrid(PngEncoder.Encode(canvas, width, height, outCh), width, height, n, title);
    }

    /// <summary>A single image of <paramref name="height"/> x <paramref name="width"/> values.</summary>
    public static ImageGrid FromImage(float[] pixels, int height, int width, int scale = 0, string? title = null,
        Colormap colormap = Colormap.Grey, bool normalize = false) =>
        From(pixels, [height, width], scale: scale, title: title, colormap: colormap, normalize: normalize);

    /// <summary>Images of a dataset (the first <paramref name="count"/>), captioned with their labels unless told otherwise.</summary>
    public static ImageGrid From(Dataset images, int count = 16, int? columns = null, int scale = 0, bool showLabels = true,
        string? title = null)
    {
        var subset = images.Take(count);
        var captions = showLabels && subset.Labels is not null ? subset.Labels.Select(l => l.ToString()).ToArray() : null;
        return From(subset.Data, [subset.Count, .. subset.SampleShape], columns, scale, captions: captions, title: title);
    }

    public void Save(string path) => File.WriteAllBytes(path, Png);

    public string ToBase64() => Convert.ToBase64String(Png);

    public string ToDataUri() => "data:image/png;base64," + ToBase64();

    public string ToHtml()
    {
        var alt = WebUtility.HtmlEncode(Title ?? $"{Count} images");
        return $"<img src=\"{ToDataUri()}\" width=\"{Width}\" height=\"{Height}\" alt=\"{alt}\" style=\"image-rendering: pixelated; image-rendering: crisp-edges;\"/>";
    }

    public static IReadOnlyList<string> MimeTypes { get; } = ["image/png", "text/html", "text/plain"];

    public string Render(string mimeType) => mimeType switch
    {
        "image/png" => ToBase64(),
        "text/html" => ToHtml(),
        _ => ToString(),
    };

    public override string ToString() =>
        $"ImageGrid{(Title is null ? "" : $" \"{Title}\"")}: {Count} image(s), {Width}x{Height} px PNG ({Png.Length:N0} bytes)";

    private static byte ToByte(double t) => (byte)Math.Round(Math.Clamp(double.IsNaN(t) ? 0 : t, 0, 1) * 255);

    private static (int N, int Channels, int H, int W) ParseDims(int length, int[] dims)
    {
        string shape = $"[{string.Join(",", dims)}]";
        var parsed = dims.Length switch
        {
            2 => (1, 1, dims[0], dims[1]),
            3 => (dims[0], 1, dims[1], dims[2]),
            4 when dims[1] is 1 or 3 => (dims[0], dims[1], dims[2], dims[3]),
            _ => throw new ArgumentException(
                $"ImageGrid: dims {shape} not supported; use [N,1,H,W], [N,3,H,W], [N,H,W] or [H,W]."),
        };
        if (parsed.Item1 <= 0 || parsed.Item3 <= 0 || parsed.Item4 <= 0)
            throw new ArgumentException($"ImageGrid: dims {shape} must be positive.");
        if ((long)parsed.Item1 * parsed.Item2 * parsed.Item3 * parsed.Item4 != length)
            throw new ArgumentException($"ImageGrid: {length} values do not match dims {shape}.");
        return parsed;
    }

    private static (double, double) DataRange(float[] data, Colormap colormap)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in data)
        {
            if (!float.IsFinite(v)) continue;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        if (lo > hi) return (0, 1);
        if (colormap == Colormap.Diverging)
        {
            double m = Math.Max(Math.Abs(lo), Math.Abs(hi));
            return (-m, m);
        }
        return (lo, hi);
    }
}
