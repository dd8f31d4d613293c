using Course.Torch;

namespace Course.Lab;

// Chart factories that take tensors (copied out as doubles).
public sealed partial class Chart
{
    private static double[] Values(torch.Tensor t) => D(t.data<float>().ToArray()).ToArray();

    /// <summary>A line over x = 0, 1, 2, ... of a 1-D tensor.</summary>
    public static Chart Line(torch.Tensor y, string? name = null, string? color = null) => Line(Values(y), name, color);

    public static Chart Line(torch.Tensor x, torch.Tensor y, string? name = null, string? color = null) =>
        Line(Values(x), Values(y), name, color);

    /// <summary>Points from an <c>[N,2]</c> tensor, coloured by an optional <c>[N]</c> label tensor.</summary>
    public static Chart Scatter(torch.Tensor points, torch.Tensor? labels = null, string? name = null, double size = 4, double opacity = 0.7)
    {
        var shape = points.shape;
        if (shape.Length != 2 || shape[1] != 2)
            throw new ArgumentException($"Chart.Scatter: points must have shape [N, 2], got [{string.Join(", ", shape)}].");
        var v = Values(points);
        var x = Enumerable.Range(0, v.Length / 2).Select(i => v[2 * i]);
        var y = Enumerable.Range(0, v.Length / 2).Select(i => v[2 * i + 1]);
        var chart = labels is null
            ? Scatter(x, y, name, null, size, opacity)
            : Scatter(x, y, labels.data<long>().ToArray(), size, opacity);
        return chart.WithEqualAxes();
    }

    /// <summary>A histogram of all values in a tensor.</summary>
    public static Chart Histogram(torch.Tensor values, int? bins = null, string? name = null, bool density = false) =>
        Histogram(values.data<float>().ToArray(), bins, name, density: density);

    /// <summary>A heatmap of a 2-D tensor (rows along y).</summary>
    public static Chart Heatmap(torch.Tensor z, string colorscale = "Viridis")
    {
        var shape = z.shape;
        if (shape.Length != 2)
            throw new ArgumentException($"Chart.Heatmap: z must be 2-D, got shape [{string.Join(", ", shape)}].");
        return Heatmap(z.data<float>().ToArray(), (int)shape[0], (int)shape[1], colorscale);
    }
}
