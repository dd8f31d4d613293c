using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Plotly.NET;

namespace Course.Lab;

/// <summary>
/// How a Plotly.NET <see cref="GenericChart"/> shows in a notebook, offline, in every front end: as
/// <c>application/vnd.plotly.v1+json</c> (VS Code and JupyterLab draw it natively) and as <c>text/html</c> whose script
/// draws with the page's plotly.js. The first chart shown in a session carries plotly.js inline (Plotly.NET's bundled
/// copy, so no network and no node_modules); later charts draw with it. GenericChart is not ours, so the formatter is
/// registered, not declared by attribute: for the course runner and kernel under an AppContext key named after the type
/// (<see cref="FormatterSourceKeyPrefix"/>), and in .NET Interactive through its Formatter, when Course.Lab loads.
/// </summary>
internal static partial class ChartDisplay
{
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    /// <summary>The course runner and kernel look up <c>AppContext.GetData(prefix + type.FullName)</c>: a formatter source type.</summary>
    public const string FormatterSourceKeyPrefix = "Course.TypeFormatterSource:";

    public static IReadOnlyList<string> MimeTypes { get; } = ["text/html", PlotlyMimeType, "text/plain"];

    /// <summary>The chart as plotly.js JSON (data, layout, config), after checking that x and y agree in length.</summary>
    public static string FigureJson(GenericChart chart) => Figure(chart).ToJsonString();

    private static JsonNode Figure(GenericChart chart)
    {
        var figure = Serialize(chart);
        CheckLengths(figure);
        return figure;
    }

    // Plotly.NET gives every chart its own copy of Defaults.DefaultTemplate and writes it anew each time: that is
    // nearly all of a figure's cost (0.1 s of CPU or more). A template equal to the default (checked structurally, a
    // few ms) is written once; any other template as Plotly.NET writes it.
    private static JsonNode Serialize(GenericChart chart)
    {
        var layout = GenericChart.getLayout(chart);
        if (layout.TryGetPropertyValue("template")?.Value is not DynamicObj.DynamicObj template
            || DefaultTemplateJson(template, chart) is not { } templateJson)
            return JsonNode.Parse(GenericChart.toJson(chart))!;
        JsonNode figure;
        layout.RemoveProperty("template");
        try
        {
            figure = JsonNode.Parse(GenericChart.toJson(chart))!;
        }
        finally
        {
            layout.SetProperty("template", template);
        }
        figure["layout"]!["template"] = JsonNode.Parse(templateJson);
        return figure;
    }

    private static string? DefaultTemplateJson(DynamicObj.DynamicObj template, GenericChart chart)
    {
        var defaults = Defaults.DefaultTemplate;
        if (!template.StructurallyEquals(defaults)) return null;
        int hash = defaults.GetHashCode(); // structural: notices a default changed in place
        if (_defaultTemplate is { } cached && ReferenceEquals(cached.Template, defaults) && cached.Hash == hash) return cached.Json;
        var json = JsonNode.Parse(GenericChart.toJson(chart))!["layout"]!["template"]!.ToJsonString();
        _defaultTemplate = new(defaults, hash, json);
        return json;
    }

    private static CachedTemplate? _defaultTemplate;

    private sealed record CachedTemplate(object Template, int Hash, string Json);

    /// <summary>
    /// A div and a script that draws the chart once <c>window.Plotly</c> exists; with <paramref name="includePlotlyJs"/>
    /// plotly.js itself comes first, in a script marked <c>data-course-plotly-js</c> (pages that inline their own copy drop it).
    /// </summary>
    public static string Html(GenericChart chart, bool includePlotlyJs)
    {
        var figure = Figure(chart);
        var layout = figure["layout"];
        int width = Pixels(layout?["width"]) ?? Defaults.DefaultWidth, height = Pixels(layout?["height"]) ?? Defaults.DefaultHeight;
        var id = "course-chart-" + Guid.NewGuid().ToString("N")[..12];
        var html = new StringBuilder();
        if (includePlotlyJs) html.Append(PlotlyJs.Value.Tag);
        html.Append($"<div id=\"{id}\" class=\"course-chart\" style=\"width:{width}px;max-width:100%;height:{height}px;\">")
            .Append("This chart draws with plotly.js, which the first chart of the session brings: run that cell again, or restart the kernel.</div>\n")
            .Append("<script type=\"text/javascript\">\n(function () {\n")
            .Append($"  var id = '{id}';\n")
            .Append("  var figure = ").Append(ScriptSafe(figure.ToJsonString())).Append(";\n")
            .Append("""
                  function draw() {
                    var el = document.getElementById(id);
                    if (!el) return;
                    el.textContent = '';
                    window.Plotly.newPlot(el, figure.data, figure.layout, figure.config);
                  }
                  if (window.Plotly) draw();
                  else (window.__coursePlotlyQueue = window.__coursePlotlyQueue || []).push(draw);
                })();
                </script>
                """);
        return html.ToString();
    }

    public static string Text(GenericChart chart)
    {
        var figure = Serialize(chart);
        var title = figure["layout"]?["title"]?["text"]?.ToString();
        var traces = figure["data"]?.AsArray() ?? [];
        var kinds = string.Join(", ", traces.Select(t => t?["name"] is { } name ? $"{t["type"]} '{name}'" : $"{t?["type"]}"));
        return $"GenericChart{(title is null ? "" : $" \"{title}\"")}: {traces.Count} trace(s) [{kinds}]";
    }

    /// <summary>Whether this chart is the session's first: the course runner and kernel name the session; elsewhere the process is one page.</summary>
    internal static bool FirstInPage() =>
        PagesWithPlotly.TryAdd((AppContext.GetData("Course.Session") as Func<object?>)?.Invoke() ?? ProcessPage, ProcessPage);

    private static readonly object ProcessPage = new();
    private static readonly ConditionalWeakTable<object, object> PagesWithPlotly = [];

    internal static string Render(object value, string mimeType) => value is not GenericChart chart ? "" : mimeType switch
    {
        "text/html" => Html(chart, FirstInPage()),
        PlotlyMimeType => FigureJson(chart),
        _ => Text(chart),
    };

    // plotly.js draws x[i] against y[i]: a shorter y silently drops points, so say so instead.
    private static void CheckLengths(JsonNode figure)
    {
        var traces = figure["data"]?.AsArray() ?? [];
        for (int i = 0; i < traces.Count; i++)
        {
            if (traces[i] is not JsonObject trace || trace["type"]?.ToString() is not ("scatter" or "scattergl" or "bar")) continue;
            if (trace["x"] is JsonArray x && trace["y"] is JsonArray y && x.Count != y.Count)
                throw new ArgumentException(
                    $"chart trace {i + 1} ('{trace["name"]?.ToString() ?? trace["type"]!.ToString()}') has {x.Count} x values but {y.Count} y values; they must have the same length.");
        }
    }

    private static int? Pixels(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) ? (int)Math.Round(d) : null;

    // Keeps the JSON from closing its script element or opening an HTML comment.
    private static string ScriptSafe(string script) =>
        script.Replace("</", "<\\/", StringComparison.Ordinal).Replace("<!--", "<\\!--", StringComparison.Ordinal);

    private static readonly Lazy<(string Version, string Tag)> PlotlyJs = new(() =>
    {
        var assembly = typeof(GenericChart).Assembly;
        var resource = assembly.GetManifestResourceNames().FirstOrDefault(n => PlotlyResource().IsMatch(n))
            ?? throw new InvalidOperationException($"{assembly.GetName()} carries no plotly-*.min.js resource to inline.");
        var version = PlotlyResource().Match(resource).Groups[1].Value;
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!, Encoding.UTF8);
        // Hiding define/module/exports makes the bundle set window.Plotly even where require.js is on the page
        // (classic Jupyter Notebook); then charts queued before it arrived draw.
        var tag = new StringBuilder()
            .Append($"<script type=\"text/javascript\" data-course-plotly-js=\"{WebUtility.HtmlEncode(version)}\">\n")
            .Append("(function (define, module, exports) {\n").Append(ScriptSafe(reader.ReadToEnd())).Append("\n}).call(window);\n")
            .Append("(function () { var q = window.__coursePlotlyQueue || []; window.__coursePlotlyQueue = []; q.forEach(function (draw) { draw(); }); })();\n")
            .Append("</script>\n");
        return (version, tag.ToString());
    });

    /// <summary>The version of the plotly.js that the first chart of a session inlines (Plotly.NET's bundled copy).</summary>
    public static string PlotlyJsVersion => PlotlyJs.Value.Version;

    [GeneratedRegex(@"plotly-(\d+\.\d+\.\d+)\.min\.js$")]
    private static partial Regex PlotlyResource();
}

/// <summary>Formatter source in the display convention (CreateTypeFormatters, then MimeType and Format on each).</summary>
internal sealed class ChartFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => ChartDisplay.MimeTypes.Select(m => new ChartFormatter(m));
}

internal sealed class ChartFormatter(string mimeType)
{
    public string MimeType { get; } = mimeType;

    public Type Type => typeof(GenericChart);

    public bool Format(object instance, TextWriter writer)
    {
        if (instance is not GenericChart) return false;
        writer.Write(ChartDisplay.Render(instance, MimeType));
        return true;
    }
}
