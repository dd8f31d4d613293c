namespace Course.Lab;

/// <summary>How an image grid turns values into colours.</summary>
public enum Colormap
{
    /// <summary>Greyscale: 0 black, 1 white (MNIST's convention).</summary>
    Grey,
    /// <summary>Perceptually uniform blue-green-yellow, for densities and heatmaps.</summary>
    Viridis,
    /// <summary>Blue-white-red around 0.5, for signed quantities (use with symmetric normalisation).</summary>
    Diverging,
}

/// <summary>Colour lookup by linear interpolation between a few anchor colours.</summary>
internal static class ColormapTable
{
    private static readonly byte[][] ViridisAnchors =
    [
        [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
        [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37],
    ];

    private static readonly byte[][] DivergingAnchors =
    [
        [33, 102, 172], [103, 169, 207], [209, 229, 240], [247, 247, 247], [253, 219, 199], [239, 138, 98], [178, 24, 43],
    ];

    /// <summary>Writes the RGB colour of <paramref name="t"/> in [0,1] to <paramref name="rgb"/>.</summary>
    internal static void Lookup(Colormap map, double t, Span<byte> rgb)
    {
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        if (map == Colormap.Grey)
        {
            rgb[0] = rgb[1] = rgb[2] = (byte)Math.Round(t * 255);
            return;
        }
        var anchors = map == Colormap.Viridis ? ViridisAnchors : DivergingAnchors;
        double pos = t * (anchors.Length - 1);
        int i = Math.Min((int)pos, anchors.Length - 2);
        double f = pos - i;
        for (int c = 0; c < 3; c++) rgb[c] = (byte)Math.Round(anchors[i][c] * (1 - f) + anchors[i + 1][c] * f);
    }
}
