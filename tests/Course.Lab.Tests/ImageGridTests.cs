namespace Course.Lab.Tests;

public class ImageGridTests
{
    private static byte[] Pixels(ImageGrid g, out int channels)
    {
        var (w, h, colorType, raw) = PngTests.Decode(g.Png);
        Assert.Equal((g.Width, g.Height), (w, h));
        channels = colorType == 0 ? 1 : 3;
        return PngTests.Unfilter(raw, w, h, channels);
    }

    [Fact]
    public void Tiles_are_scaled_padded_and_placed_row_by_row()
    {
        // 3 images of 2x2: image k filled with value k/2 (0, 0.5, 1)
        var data = new float[3 * 4];
        for (int k = 0; k < 3; k++) for (int i = 0; i < 4; i++) data[k * 4 + i] = k / 2f;
        var g = ImageGrid.From(data, [3, 1, 2, 2], columns: 2, scale: 3, padding: 1);
        Assert.Equal(2 * 6 + 3 * 1, g.Width);
        Assert.Equal(2 * 6 + 3 * 1, g.Height);
        var px = Pixels(g, out var ch);
        Assert.Equal(1, ch);
        byte At(int x, int y) => px[y * g.Width + x];
        Assert.Equal(255, At(0, 0));        // padding is white
        Assert.Equal(0, At(1, 1));          // image 0, black
        Assert.Equal(0, At(6, 6));          // still image 0 (6x6 tile from 1..6)
        Assert.Equal(128, At(8, 1));        // image 1 at column 1
        Assert.Equal(255, At(1, 8));        // image 2 on the second row
        Assert.Equal(255, At(8, 8));        // empty fourth cell stays background
    }

    [Fact]
    public void Captions_and_title_add_rows_and_draw_ink()
    {
        var data = new float[2 * 28 * 28];
        var plain = ImageGrid.From(data, [2, 28, 28], scale: 2);
        var captioned = ImageGrid.From(data, [2, 28, 28], scale: 2, captions: ["7", "A1"], title: "Samples");
        Assert.True(captioned.Height > plain.Height);
        var px = Pixels(captioned, out _);
        Assert.Contains(px, b => b == 48); // caption ink
        Assert.Contains("Samples", captioned.ToHtml());
    }

    [Fact]
    public void Colormap_gives_rgb_and_normalize_uses_the_data_range()
    {
        var g = ImageGrid.FromImage([-2f, 0f, 2f, 4f], 2, 2, scale: 1, colormap: Colormap.Viridis, normalize: true);
        var px = Pixels(g, out var ch);
        Assert.Equal(3, ch);
        // top-left pixel (value -2, the minimum) is viridis' first colour
        int o = (2 * g.Width + 2) * 3;
        Assert.Equal(new byte[] { 68, 1, 84 }, px[o..(o + 3)]);
    }

    [Fact]
    public void Bad_dims_and_caption_counts_are_named()
    {
        Assert.Contains("[2,5]", Assert.Throws<ArgumentException>(() => ImageGrid.From(new float[4], [2, 5])).Message);
        Assert.Contains("[1,2,2,2]", Assert.Throws<ArgumentException>(() => ImageGrid.From(new float[8], [1, 2, 2, 2])).Message);
        Assert.Contains("1 captions for 2 images", Assert.Throws<ArgumentException>(() => ImageGrid.From(new float[8], [2, 2, 2], captions: ["a"])).Message);
    }

    [Fact]
    public void Mnist_digits_render_with_label_captions()
    {
        var test = Mnist.Test(dataDirectory: TestRepo.MnistDir).Take(8);
        var g = ImageGrid.From(test, count: 8);
        Assert.Equal(8, g.Count);
        Assert.StartsWith("data:image/png;base64,", g.ToDataUri());
        Assert.Equal(g.ToBase64(), g.Render("image/png"));
        Assert.StartsWith("<img src=\"data:image/png;base64,", g.Render("text/html"));
    }
}
