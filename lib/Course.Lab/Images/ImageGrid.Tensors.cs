using Course.Torch;

namespace Course.Lab;

// Image grids straight from tensors.
public sealed partial class ImageGrid
{
    /// <summary>
    /// Tiles a tensor of images: <c>[N,1,H,W]</c>, <c>[N,H,W]</c>, <c>[H,W]</c> or <c>[N,3,H,W]</c>, values in [0,1]
    /// unless <paramref name="range"/> or <paramref name="normalize"/> say otherwise.
    /// </summary>
    public static ImageGrid From(torch.Tensor images, int? columns = null, int scale = 0, int padding = 2,
        IReadOnlyList<string>? captions = null, string? title = null, (double Min, double Max)? range = null,
        bool normalize = false, Colormap colormap = Colormap.Grey)
    {
        var dims = images.shape.Select(d => (int)d).ToArray();
        return From(images.data<float>().ToArray(), dims, columns, scale, padding, captions, title, range, normalize, colormap);
    }

    /// <summary>Images captioned with their labels (a <c>[N]</c> tensor of integers).</summary>
    public static ImageGrid From(torch.Tensor images, torch.Tensor labels, int? columns = null, int scale = 0, string? title = null) =>
        From(images, columns, scale, captions: labels.data<long>().ToArray().Select(l => l.ToString()).ToArray(), title: title);
}
