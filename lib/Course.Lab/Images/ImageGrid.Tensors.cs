using TorchSharp;

namespace Course.Lab;

// Image grids straight from tensors.
public sealed partial class ImageGrid
{
    /// <summary>
    /// Tiles a tensor of images: <c>[N,1,H,W]</c>, <c>[N,H,W]</c>, <c>[H,W]</c> or <c>[N,3,H,W]</c>, values in [0,1]
    /// unless <paramref name="range"/> or <paramref name="normalize"/> say otherwise. Bool tensors (masks, binarized
    /// samples) show as 0/1; Int64 ones are converted (pass <c>range: (0, 255)</c> for byte-valued images).
    /// </summary>
    public static ImageGrid From(torch.Tensor images, int? columns = null, int scale = 0, int padding = 2,
        IReadOnlyList<string>? captions = null, string? title = null, (double Min, double Max)? range = null,
        bool normalize = false, Colormap colormap = Colormap.Grey)
    {
        var dims = images.shape.Select(d => (int)d).ToArray();
        return From(TensorValues.Floats(images, "ImageGrid.From"), dims, columns, scale, padding, captions, title, range, normalize, colormap);
    }

    /// <summary>Images captioned with their labels (a <c>[N]</c> tensor: int64, bool, or whole-valued float).</summary>
    public static ImageGrid From(torch.Tensor images, torch.Tensor labels, int? columns = null, int scale = 0, string? title = null) =>
        From(images, columns, scale,
            captions: TensorValues.Labels(labels, "ImageGrid.From").Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            title: title);
}
