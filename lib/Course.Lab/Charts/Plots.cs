using System.Numerics;
using System.Runtime.CompilerServices;
using Plotly.NET;
using Plotly.NET.CSharp;
using static TorchSharp.torch;
using PlotlyChart = Plotly.NET.CSharp.Chart;

namespace Course.Lab;

/// <summary>
/// Course charts that would otherwise take a screen of Plotly.NET code each: a function or a model's density over a
/// grid, points coloured by label, histograms binned here (small figures whatever the count) and against a density, a
/// 2-D tensor as an image. Each returns Plotly.NET's <see cref="GenericChart"/>: keep styling it with Plotly.NET.CSharp
/// (<c>WithXAxisStyle</c>, <c>WithSize</c>, <c>Chart.Combine</c>, <c>Chart.Grid</c>) and <see cref="ChartStyle"/>.
/// Numbers come as any sequence (double[], float[], List&lt;int&gt;, LINQ) or as a tensor.
/// </summary>
public static class Plots
{
    /// <summary><paramref name="count"/> evenly spaced values from start to stop inclusive.</summary>
    public static double[] Linspace(double start, double stop, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"Plots.Linspace: count must be at least 1, got {count}.");
        return count == 1 ? [start] : Enumerable.Range(0, count).Select(i => start + (stop - start) * i / (count - 1)).ToArray();
    }

    /// <summary>z[i][j] = f(xs[j], ys[i]): one row per y value, as plotly's z (Chart.Contour, Heatmap, Surface) expects.</summary>
    public static double[][] Evaluate(IReadOnlyList<double> xs, IReadOnlyList<double> ys, Func<double, double, double> f) =>
        ys.Select(y => xs.Select(x => f(x, y)).ToArray()).ToArray();

    /// <summary>
    /// A model over the grid in one batched call: <paramref name="f"/> gets every (x, y) as an <c>[N, 2]</c> float32 tensor
    /// (row-major over z, gradients off) and returns N values, e.g. <c>p =&gt; flow.log_prob(p).exp()</c>.
    /// </summary>
    public static double[][] Evaluate(IReadOnlyList<double> xs, IReadOnlyList<double> ys, Func<Tensor, Tensor> f)
    {
        var grid = new float[ys.Count * xs.Count * 2];
        for (int i = 0, k = 0; i < ys.Count; i++)
            for (int j = 0; j < xs.Count; j++, k += 2) (grid[k], grid[k + 1]) = ((float)xs[j], (float)ys[i]);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var values = f(tensor(grid, [ys.Count * xs.Count, 2L]));
        if (values.numel() != ys.Count * xs.Count)
            throw new ArgumentException(
                $"Plots.Evaluate: f returned shape {TensorValues.Shape(values)} for {ys.Count * xs.Count} grid points; it must return one value per point.");
        var flat = TensorValues.Doubles(values, "Plots.Evaluate");
        return Enumerable.Range(0, ys.Count).Select(i => flat.AsSpan(i * xs.Count, xs.Count).ToArray()).ToArray();
    }

    /// <summary>Filled contours of f over the grid (x along columns, y along rows).</summary>
    public static GenericChart Contour(IReadOnlyList<double> xs, IReadOnlyList<double> ys, Func<double, double, double> f,
        string? name = null, StyleParam.Colorscale? colorScale = null) => Contour(xs, ys, Evaluate(xs, ys, f), name, colorScale);

    /// <summary>Filled contours of a model over the grid, evaluated in one batch (see <see cref="Evaluate(IReadOnlyList{double}, IReadOnlyList{double}, Func{Tensor, Tensor})"/>).</summary>
    public static GenericChart Contour(IReadOnlyList<double> xs, IReadOnlyList<double> ys, Func<Tensor, Tensor> f,
        string? name = null, StyleParam.Colorscale? colorScale = null) => Contour(xs, ys, Evaluate(xs, ys, f), name, colorScale);

    // Plotly.NET 6.0.0 writes line.width 0 for every contour (ContourLinesWidth too): put plotly's default back.
    private static GenericChart Contour(IReadOnlyList<double> xs, IReadOnlyList<double> ys, double[][] z, string? name, StyleParam.Colorscale? colorScale) =>
        PlotlyChart.Contour<double, double, double, string>(z, X: xs.ToArray(), Y: ys.ToArray(), Name: Optional(name),
            ColorScale: colorScale ?? StyleParam.Colorscale.Viridis).WithTraceAttribute("line.width", 0.5);

    /// <summary>Points coloured by label: one trace (and legend entry) per distinct label, named prefix + label.</summary>
    [OverloadResolutionPriority(1)]
    public static GenericChart ScatterByLabel<T, TLabel>(IEnumerable<T> x, IEnumerable<T> y, IEnumerable<TLabel> labels,
        string namePrefix = "", int markerSize = 5, double opacity = 0.8) where T : INumberBase<T>, IConvertible where TLabel : notnull
    {
        T[] xs = x.ToArray(), ys = y.ToArray();
        var ls = labels.ToArray();
        if (xs.Length != ys.Length || xs.Length != ls.Length)
            throw new ArgumentException($"Plots.ScatterByLabel: x has {xs.Length} values, y {ys.Length} and labels {ls.Length}; they must have the same length.");
        var traces = ls.Distinct().Order().Select(label =>
        {
            var mine = Enumerable.Range(0, ls.Length).Where(i => EqualityComparer<TLabel>.Default.Equals(ls[i], label)).ToArray();
            return PlotlyChart.Point<T, T, string>(mine.Select(i => xs[i]), mine.Select(i => ys[i]), Name: $"{namePrefix}{label}", Opacity: opacity)
                .WithTraceAttribute("marker.size", markerSize);
        });
        return PlotlyChart.Combine(traces.ToList());
    }

    /// <summary>Points from an <c>[N, 2]</c> tensor coloured by an <c>[N]</c> label tensor (int64, bool, or whole-valued float32).</summary>
    public static GenericChart ScatterByLabel(Tensor points, Tensor labels, string namePrefix = "", int markerSize = 5, double opacity = 0.8)
    {
        if (points.shape is not [_, 2])
            throw new ArgumentException($"Plots.ScatterByLabel: points must have shape [N, 2], got {TensorValues.Shape(points)}.");
        var v = TensorValues.Floats(points, "Plots.ScatterByLabel");
        return ScatterByLabel(v.Where((_, i) => i % 2 == 0), v.Where((_, i) => i % 2 == 1),
            TensorValues.Labels(labels, "Plots.ScatterByLabel"), namePrefix, markerSize, opacity);
    }

    /// <summary>
    /// A histogram binned here into <paramref name="bins"/> equal bins over the data's range and sent as bars, so a
    /// million values make a small figure. With <paramref name="density"/> the bars' area is 1. Overlays with other
    /// histograms (plotly barmode 'overlay'); non-finite values are left out.
    /// </summary>
    [OverloadResolutionPriority(1)]
    public static GenericChart Histogram<T>(IEnumerable<T> values, int bins = 50, bool density = false, string? name = null,
        Color? color = null, double opacity = 0.75) where T : INumberBase<T>
    {
        var (centres, heights, width) = Bin(values.Select(double.CreateTruncating).ToArray(), bins, density);
        return PlotlyChart.Column<double, double, string>(heights, Keys: centres, Name: Optional(name), Opacity: opacity,
                MarkerColor: Optional(color), Width: width)
            .WithLayoutAttribute("barmode", "overlay").WithLayoutAttribute("bargap", 0);
    }

    /// <summary>A histogram of every value in a tensor (float32, int64, or bool as 0/1).</summary>
    public static GenericChart Histogram(Tensor values, int bins = 50, bool density = false, string? name = null,
        Color? color = null, double opacity = 0.75) =>
        Histogram(TensorValues.Doubles(values, "Plots.Histogram"), bins, density, name, color, opacity);

    /// <summary>Samples as a density histogram with <paramref name="density"/> drawn over it across the same range.</summary>
    [OverloadResolutionPriority(1)]
    public static GenericChart DensityHistogram<T>(IEnumerable<T> samples, Func<double, double> density, int bins = 50,
        string name = "samples", string densityName = "density") where T : INumberBase<T>
    {
        var values = samples.Select(double.CreateTruncating).ToArray();
        var (centres, _, width) = Bin(values, bins, true);
        var xs = Linspace(centres[0] - width / 2, centres[^1] + width / 2, 400);
        return PlotlyChart.Combine([
            Histogram(values, bins, density: true, name: name, opacity: 0.6),
            PlotlyChart.Line<double, double, string>(xs, xs.Select(density), Name: densityName, LineWidth: 2.5),
        ]);
    }

    /// <summary>A tensor's values as a density histogram with <paramref name="density"/> over it.</summary>
    public static GenericChart DensityHistogram(Tensor samples, Func<double, double> density, int bins = 50,
        string name = "samples", string densityName = "density") =>
        DensityHistogram(TensorValues.Doubles(samples, "Plots.DensityHistogram"), density, bins, name, densityName);

    /// <summary>
    /// A 2-D tensor as an image: row 0 at the top, square cells (a mask, a weight matrix, a Jacobian, one image).
    /// Bool shows as 0/1.
    /// </summary>
    public static GenericChart Heatmap(Tensor z, StyleParam.Colorscale? colorScale = null, string? name = null)
    {
        if (z.shape is not [var rows, var cols])
            throw new ArgumentException($"Plots.Heatmap: z must be 2-D, got shape {TensorValues.Shape(z)}.");
        var v = TensorValues.Floats(z, "Plots.Heatmap");
        var matrix = Enumerable.Range(0, (int)rows).Select(i => v[(i * (int)cols)..((i + 1) * (int)cols)]).ToArray();
        return PlotlyChart.Heatmap<float, int, int, string>(matrix, Name: Optional(name), ColorScale: colorScale ?? StyleParam.Colorscale.Greys,
                ReverseYAxis: true)
            .WithLayoutAttribute("yaxis.scaleanchor", "x").WithLayoutAttribute("xaxis.constrain", "domain");
    }

    // Bins finite values into equal-width bins over their range (a single value gets a bin of width 1).
    private static (double[] Centres, double[] Heights, double Width) Bin(double[] values, int bins, bool density)
    {
        if (bins <= 0) throw new ArgumentOutOfRangeException(nameof(bins), $"Plots.Histogram: bins must be positive, got {bins}.");
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) throw new ArgumentException($"Plots.Histogram: no finite values among {values.Length}.", nameof(values));
        double lo = finite.Min(), hi = finite.Max();
        if (hi == lo) hi = lo + 1;
        double width = (hi - lo) / bins;
        var heights = new double[bins];
        foreach (var v in finite) heights[Math.Min(bins - 1, (int)((v - lo) / width))]++;
        if (density)
            for (int i = 0; i < bins; i++) heights[i] /= finite.Length * width;
        return (Enumerable.Range(0, bins).Select(i => lo + (i + 0.5) * width).ToArray(), heights, width);
    }

    // Plotly.NET.CSharp leaves an argument out only when its Optional has no value; a null would be sent as null.
    private static Optional<TValue> Optional<TValue>(TValue? value) where TValue : class => value is { } v ? (Optional<TValue>)v : default;
}
