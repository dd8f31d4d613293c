using System.Text.Json.Nodes;

namespace Course.Lab;

/// <summary>
/// A plotly.js figure: traces plus a layout, written with plotly's attribute names. Factories build common
/// charts (<see cref="Line(IEnumerable{double}, IEnumerable{double}, string?, string?, double?, string?, bool)"/>,
/// <see cref="Scatter"/>, <see cref="Histogram"/>, <see cref="Heatmap(double[,], IEnumerable{double}?, IEnumerable{double}?, string, string?)"/>,
/// ...), fluent methods set titles and axes, <c>a + b</c> overlays, and <see cref="Grid"/> makes subplots.
/// Displays as HTML (plotly.js from its CDN, or the page's own copy) and as <c>application/vnd.plotly.v1+json</c>.
/// </summary>
[TypeFormatterSource(typeof(MimeFormatterSource<Chart>), PreferredMimeTypes = ["text/html", PlotlyMimeType])]
public sealed partial class Chart : IMimeRenderable
{
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    public Chart() { }

    public Chart(params Trace[] traces)
    {
        foreach (var t in traces) Add(t);
    }

    /// <summary>The traces, drawn in order.</summary>
    public List<Trace> Traces { get; } = [];

    /// <summary>The layout as set by the user; the course template fills in the rest when rendering.</summary>
    public JsonObject Layout { get; } = new();

    public Chart Add(Trace trace)
    {
        trace.CheckLengths("Chart.Add");
        Traces.Add(trace);
        return this;
    }

    /// <summary>Adds copies of <paramref name="other"/>'s traces; layout keys this chart lacks are taken from it.</summary>
    public Chart Add(Chart other)
    {
        foreach (var t in other.Traces) Traces.Add(t.Clone());
        PlotlyJson.Merge(Layout, other.Layout, overwrite: false);
        return this;
    }

    /// <summary>Overlays two charts into a new one (left's layout wins).</summary>
    public static Chart operator +(Chart left, Chart right) => left.Clone().Add(right);

    public Chart Clone()
    {
        var c = new Chart();
        foreach (var t in Traces) c.Traces.Add(t.Clone());
        PlotlyJson.Merge(c.Layout, Layout, overwrite: true);
        return c;
    }

    /// <summary>Sets a layout attribute by dotted path, e.g. <c>Set("xaxis.range", new[] { 0.0, 1.0 })</c>.</summary>
    public Chart Set(string path, object? value)
    {
        PlotlyJson.Set(Layout, path, value);
        return this;
    }

    public Chart WithTitle(string title) => Set("title.text", title);
    public Chart WithXTitle(string title) => Set("xaxis.title.text", title);
    public Chart WithYTitle(string title) => Set("yaxis.title.text", title);
    public Chart WithAxisTitles(string x, string y) => WithXTitle(x).WithYTitle(y);

    /// <summary>Logarithmic x axis (plotly's <c>xaxis.type: 'log'</c>).</summary>
    public Chart WithLogX(bool log = true) => Set("xaxis.type", log ? "log" : "linear");

    public Chart WithLogY(bool log = true) => Set("yaxis.type", log ? "log" : "linear");

    public Chart WithXRange(double min, double max) => Set("xaxis.range", new[] { min, max });
    public Chart WithYRange(double min, double max) => Set("yaxis.range", new[] { min, max });

    public Chart WithLegend(bool show = true) => Set("showlegend", show);

    /// <summary>Pixel size; width null keeps the chart as wide as its output area.</summary>
    public Chart WithSize(int? width, int height)
    {
        if (width is not null) Set("width", width.Value);
        return Set("height", height);
    }

    /// <summary>Same scale on both axes, for 2-D point clouds and densities.</summary>
    public Chart WithEqualAxes() => Set("yaxis.scaleanchor", "x").Set("yaxis.scaleratio", 1);

    /// <summary>The layout that is rendered: the template merged under the user's settings.</summary>
    internal JsonObject RenderedLayout()
    {
        var layout = (JsonObject)Layout.DeepClone();
        if (!layout.ContainsKey("template")) layout["template"] = ChartTemplate.Create();
        if (!layout.ContainsKey("height")) layout["height"] = ChartTemplate.DefaultHeight;
        return layout;
    }

    /// <summary>The figure as plotly.js JSON: <c>{"data":[...],"layout":{...}}</c> (no NaN: non-finite numbers are null).</summary>
    public string ToJson() => ToJsonNode().ToJsonString();

    internal JsonObject ToJsonNode()
    {
        var data = new JsonArray();
        foreach (var t in Traces)
        {
            t.CheckLengths("Chart"); // x or y may have been replaced through Set after the factory checked them
            data.Add(t.Json.DeepClone());
        }
        return new JsonObject { ["data"] = data, ["layout"] = RenderedLayout() };
    }

    public static IReadOnlyList<string> MimeTypes { get; } = ["text/html", PlotlyMimeType, "text/plain"];

    public string Render(string mimeType) => mimeType switch
    {
        "text/html" => ToHtml(),
        PlotlyMimeType => ToJson(),
        _ => ToString(),
    };

    public override string ToString()
    {
        var title = Layout["title"]?["text"]?.ToString();
        var kinds = string.Join(", ", Traces.Select(t => t.Name is null ? t.Type : $"{t.Type} '{t.Name}'"));
        return $"Chart{(title is null ? "" : $" \"{title}\"")}: {Traces.Count} trace(s) [{kinds}]";
    }
}
