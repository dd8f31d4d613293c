using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Course.Lab;

// Factories for common chart kinds. Each returns a one-trace chart; combine with + or Add.
public sealed partial class Chart
{
    /// <summary>A line over x = 0, 1, 2, ...</summary>
    [OverloadResolutionPriority(1)]
    public static Chart Line(IEnumerable<double> y, string? name = null, string? color = null) =>
        Line(y.Select((_, i) => (double)i), y, name, color);

    /// <summary>A line (plotly scatter, mode 'lines'; markers adds points). Dash: 'dash', 'dot', 'dashdot'.</summary>
    [OverloadResolutionPriority(1)]
    public static Chart Line(IEnumerable<double> x, IEnumerable<double> y, string? name = null, string? color = null,
        double? width = null, string? dash = null, bool markers = false)
    {
        var t = XY("scatter", x, y, name, "Chart.Line");
        t.Set("mode", markers ? "lines+markers" : "lines");
        if (color is not null) t.Set("line.color", color);
        if (width is not null) t.Set("line.width", width.Value);
        if (dash is not null) t.Set("line.dash", dash);
        return new Chart(t);
    }

    /// <summary>Points (plotly scatter, mode 'markers').</summary>
    [OverloadResolutionPriority(1)]
    public static Chart Scatter(IEnumerable<double> x, IEnumerable<double> y, string? name = null, string? color = null,
        double size = 5, double opacity = 0.8)
    {
        var t = XY("scatter", x, y, name, "Chart.Scatter");
        t.Set("mode", "markers").Set("marker.size", size).Set("marker.opacity", opacity);
        if (color is not null) t.Set("marker.color", color);
        return new Chart(t);
    }

    /// <summary>Points coloured by label: one trace (and legend entry) per distinct label.</summary>
    public static Chart Scatter(IEnumerable<double> x, IEnumerable<double> y, IEnumerable<long> labels, double size = 5,
        double opacity = 0.8, string? namePrefix = null)
    {
        var xs = x.ToArray();
        var ys = y.ToArray();
        var ls = labels.ToArray();
        if (xs.Length != ys.Length || xs.Length != ls.Length)
            throw new ArgumentException($"Chart.Scatter: x ({xs.Length}), y ({ys.Length}) and labels ({ls.Length}) must have the same length.");
        var chart = new Chart();
        foreach (var label in ls.Distinct().Order())
        {
            var idx = Enumerable.Range(0, ls.Length).Where(i => ls[i] == label).ToArray();
            chart.Add(Scatter(idx.Select(i => xs[i]), idx.Select(i => ys[i]), $"{namePrefix}{label}", null, size, opacity));
        }
        return chart;
    }

    /// <summary>A 2-D dataset (<c>[N,2]</c>) as points, coloured by label when it has labels.</summary>
    public static Chart Scatter(Dataset points, double size = 4, double opacity = 0.7)
    {
        if (points.SampleSize != 2)
            throw new ArgumentException($"Chart.Scatter: dataset '{points.Name}' has samples of shape [{string.Join(",", points.SampleShape)}], need [2].");
        var x = Enumerable.Range(0, points.Count).Select(i => (double)points.Data[2 * i]);
        var y = Enumerable.Range(0, points.Count).Select(i => (double)points.Data[2 * i + 1]);
        var chart = points.Labels is null
            ? Scatter(x, y, points.Name, null, size, opacity)
            : Scatter(x, y, points.Labels, size, opacity);
        return chart.WithTitle(points.Name).WithEqualAxes();
    }

    /// <summary>Above this many values a histogram is binned here and sent as bars, keeping the figure small.</summary>
    public const int MaxRawHistogramValues = 20_000;

    /// <summary>
    /// A histogram; density scales bars so their area is 1 (plotly histnorm 'probability density'). Large inputs
    /// (over <see cref="MaxRawHistogramValues"/>) are binned in C# into <paramref name="bins"/> (default 50) equal bins.
    /// </summary>
    [OverloadResolutionPriority(1)]
    public static Chart Histogram(IEnumerable<double> values, int? bins = null, string? name = null, string? color = null,
        bool density = false, double opacity = 0.75)
    {
        var all = values as IReadOnlyCollection<double> ?? values.ToArray();
        Trace t;
        if (all.Count > MaxRawHistogramValues)
            t = Binned(all, bins ?? 50, density);
        else
        {
            t = new Trace("histogram").Set("x", PlotlyJson.Numbers(all));
            if (bins is not null) t.Set("nbinsx", bins.Value);
            if (density) t.Set("histnorm", "probability density");
        }
        t.Set("opacity", opacity);
        if (name is not null) t.Set("name", name);
        if (color is not null) t.Set("marker.color", color);
        return new Chart(t).Set("barmode", "overlay").Set("bargap", 0.02);
    }

    private static Trace Binned(IReadOnlyCollection<double> values, int bins, bool density)
    {
        if (bins <= 0) throw new ArgumentOutOfRangeException(nameof(bins), $"Chart.Histogram: bins must be positive, got {bins}.");
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in values)
            if (double.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        if (lo > hi) { lo = 0; hi = 1; }
        if (hi == lo) hi = lo + 1;
        double width = (hi - lo) / bins;
        var counts = new double[bins];
        long n = 0;
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) continue;
            counts[Math.Min(bins - 1, (int)((v - lo) / width))]++;
            n++;
        }
        if (density)
            for (int i = 0; i < bins; i++) counts[i] /= n * width;
        return new Trace("bar").Set("x", PlotlyJson.Numbers(Enumerable.Range(0, bins).Select(i => lo + (i + 0.5) * width)))
            .Set("y", PlotlyJson.Numbers(counts)).Set("width", width).Set("marker.line.width", 0);
    }

    /// <summary>Bars, one per category.</summary>
    public static Chart Bar<T>(IEnumerable<T> categories, IEnumerable<double> values, string? name = null, string? color = null)
    {
        var t = new Trace("bar").Set("x", new JsonArray(categories.Select(c => PlotlyJson.From(c)).ToArray()))
            .Set("y", PlotlyJson.Numbers(values));
        if (name is not null) t.Set("name", name);
        if (color is not null) t.Set("marker.color", color);
        t.CheckLengths("Chart.Bar");
        return new Chart(t);
    }

    /// <summary>A heatmap of z[row, col]; rows run along y, columns along x.</summary>
    public static Chart Heatmap(double[,] z, IEnumerable<double>? x = null, IEnumerable<double>? y = null,
        string colorscale = "Viridis", string? name = null) => new(Grid2D("heatmap", z, x, y, colorscale, name, "Chart.Heatmap"));

    /// <summary>A heatmap from row-major values.</summary>
    public static Chart Heatmap(float[] values, int rows, int cols, string colorscale = "Viridis") =>
        Heatmap(ToMatrix(values, rows, cols, "Chart.Heatmap"), null, null, colorscale);

    /// <summary>Contour lines and fills of z[row, col].</summary>
    public static Chart Contour(double[,] z, IEnumerable<double>? x = null, IEnumerable<double>? y = null,
        string colorscale = "Viridis", string? name = null) => new(Grid2D("contour", z, x, y, colorscale, name, "Chart.Contour"));

    /// <summary>A 3-D surface of z[row, col].</summary>
    public static Chart Surface(double[,] z, IEnumerable<double>? x = null, IEnumerable<double>? y = null,
        string colorscale = "Viridis", string? name = null) =>
        new Chart(Grid2D("surface", z, x, y, colorscale, name, "Chart.Surface")).Set("margin", new { l = 10, r = 10, t = 56, b = 10 });

    /// <summary>Evaluates f on a grid: z[i, j] = f(xs[j], ys[i]), ready for Heatmap, Contour or Surface.</summary>
    public static double[,] Evaluate(IReadOnlyList<double> xs, IReadOnlyList<double> ys, Func<double, double, double> f)
    {
        var z = new double[ys.Count, xs.Count];
        for (int i = 0; i < ys.Count; i++)
            for (int j = 0; j < xs.Count; j++) z[i, j] = f(xs[j], ys[i]);
        return z;
    }

    /// <summary><paramref name="count"/> evenly spaced values from start to stop inclusive.</summary>
    public static double[] Linspace(double start, double stop, int count) =>
        count == 1 ? [start] : Enumerable.Range(0, count).Select(i => start + (stop - start) * i / (count - 1)).ToArray();

    /// <summary>An image grid shown as a plotly image trace (PNG source), axes hidden, pixels square.</summary>
    public static Chart Image(ImageGrid image, string? title = null)
    {
        var t = new Trace("image").Set("source", image.ToDataUri()).Set("hoverinfo", "skip");
        var hidden = new { showgrid = false, showticklabels = false, showline = false, zeroline = false, ticks = "" };
        var c = new Chart(t).Set("xaxis", hidden).Set("yaxis", hidden)
            .Set("height", Math.Min(900, image.Height + 100));
        return title is null ? c : c.WithTitle(title);
    }

    private static Trace XY(string type, IEnumerable<double> x, IEnumerable<double> y, string? name, string op)
    {
        var t = new Trace(type).Set("x", PlotlyJson.Numbers(x)).Set("y", PlotlyJson.Numbers(y));
        if (name is not null) t.Set("name", name);
        t.CheckLengths(op);
        return t;
    }

    private static Trace Grid2D(string type, double[,] z, IEnumerable<double>? x, IEnumerable<double>? y, string colorscale,
        string? name, string op)
    {
        var t = new Trace(type).Set("z", PlotlyJson.Matrix(z)).Set("colorscale", colorscale);
        if (x is not null)
        {
            var xs = PlotlyJson.Numbers(x);
            if (xs.Count != z.GetLength(1))
                throw new ArgumentException($"{op}: trace '{name ?? type}' has {xs.Count} x values but z has {z.GetLength(1)} columns.");
            t.Set("x", xs);
        }
        if (y is not null)
        {
            var ys = PlotlyJson.Numbers(y);
            if (ys.Count != z.GetLength(0))
                throw new ArgumentException($"{op}: trace '{name ?? type}' has {ys.Count} y values but z has {z.GetLength(0)} rows.");
            t.Set("y", ys);
        }
        if (name is not null) t.Set("name", name);
        return t;
    }

    private static double[,] ToMatrix(float[] values, int rows, int cols, string op)
    {
        if (values.Length != rows * cols)
            throw new ArgumentException($"{op}: {values.Length} values do not fill {rows}x{cols}.");
        var z = new double[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) z[i, j] = values[i * cols + j];
        return z;
    }
}
