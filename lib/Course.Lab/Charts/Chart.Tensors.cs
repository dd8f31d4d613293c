using TorchSharp;
using static TorchSharp.torch;

namespace Course.Lab;

// Chart factories that take tensors (copied out as doubles). Float32, Int64 and Bool (as 0/1) tensors all chart.
public sealed partial class Chart
{
    // Float32 values print in their short form (0.1, not 0.10000000149); past 100k values (a histogram of every
    // MNIST pixel is 47M) the plain cast is used, since those are binned rather than written out one by one.
    private static double[] Values(torch.Tensor t, string op) =>
        t.dtype == ScalarType.Float32 && t.numel() <= 100_000 ? D(t.data<float>().ToArray()).ToArray() : TensorValues.Doubles(t, op);

    /// <summary>A line over x = 0, 1, 2, ... of a 1-D tensor.</summary>
    public static Chart Line(torch.Tensor y, string? name = null, string? color = null) => Line(Values(y, "Chart.Line"), name, color);

    public static Chart Line(torch.Tensor x, torch.Tensor y, string? name = null, string? color = null) =>
        Line(Values(x, "Chart.Line"), Values(y, "Chart.Line"), name, color);

    /// <summary>Points from an <c>[N,2]</c> tensor, coloured by an optional <c>[N]</c> label tensor (int64, bool, or whole-valued float).</summary>
    public static Chart Scatter(torch.Tensor points, torch.Tensor? labels = null, string? name = null, double size = 4, double opacity = 0.7)
    {
        var shape = points.shape;
        if (shape.Length != 2 || shape[1] != 2)
            throw new ArgumentException($"Chart.Scatter: points must have shape [N, 2], got [{string.Join(", ", shape)}].");
        var v = Values(points, "Chart.Scatter");
        var x = Enumerable.Range(0, v.Length / 2).Select(i => v[2 * i]);
        var y = Enumerable.Range(0, v.Length / 2).Select(i => v[2 * i + 1]);
        var chart = labels is null
            ? Scatter(x, y, name, null, size, opacity)
            : Scatter(x, y, TensorValues.Labels(labels, "Chart.Scatter"), size, opacity);
        return chart.WithEqualAxes();
    }

    /// <summary>A histogram of all values in a tensor (an int64 label tensor gives the label counts).</summary>
    public static Chart Histogram(torch.Tensor values, int? bins = null, string? name = null, bool density = false) =>
        Histogram(Values(values, "Chart.Histogram"), bins, name, density: density);

    /// <summary>A heatmap of a 2-D tensor (rows along y); a bool mask shows as 0/1.</summary>
    public static Chart Heatmap(torch.Tensor z, string colorscale = "Viridis") =>
        Heatmap(Matrix(z, "Chart.Heatmap"), null, null, colorscale);

    /// <summary>Contours of a 2-D tensor z[row = y, col = x], optionally over the grid coordinates.</summary>
    public static Chart Contour(torch.Tensor z, IEnumerable<double>? x = null, IEnumerable<double>? y = null, string colorscale = "Viridis") =>
        Contour(Matrix(z, "Chart.Contour"), x, y, colorscale);

    /// <summary>A 3-D surface of a 2-D tensor z[row = y, col = x].</summary>
    public static Chart Surface(torch.Tensor z, IEnumerable<double>? x = null, IEnumerable<double>? y = null, string colorscale = "Viridis") =>
        Surface(Matrix(z, "Chart.Surface"), x, y, colorscale);

    private static double[,] Matrix(torch.Tensor z, string op)
    {
        var shape = z.shape;
        if (shape.Length != 2)
            throw new ArgumentException($"{op}: z must be 2-D, got shape [{string.Join(", ", shape)}].");
        var v = Values(z, op);
        int rows = (int)shape[0], cols = (int)shape[1];
        var m = new double[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) m[i, j] = v[i * cols + j];
        return m;
    }
}
