using Plotly.NET;
using Plotly.NET.CSharp;

namespace Course.Lab;

/// <summary>
/// The few settings Plotly.NET.CSharp 0.14 has no C# method for: a chart title, and any other plotly.js layout or trace
/// attribute by its path (Plotly.NET's F# functions take every optional argument as an FSharpOption, which C# cannot
/// leave out). Like Plotly.NET's own With* methods they change the chart's layout or traces in place and return it.
/// </summary>
public static class ChartStyle
{
    /// <summary>The chart's title (plotly.js <c>layout.title.text</c>).</summary>
    public static GenericChart WithTitle(this GenericChart chart, string title) =>
        Plotly.NET.Chart.withTitle(title, null).Invoke(chart);

    /// <summary>
    /// Sets a plotly.js layout attribute by its dotted path, e.g. <c>WithLayoutAttribute("yaxis.scaleanchor", "x")</c>
    /// or <c>("barmode", "overlay")</c>. Call it after Plotly.NET's own axis and legend styling, which may replace
    /// the objects on the path.
    /// </summary>
    public static GenericChart WithLayoutAttribute(this GenericChart chart, string path, object? value)
    {
        Set(GenericChart.getLayout(chart), path, value, nameof(WithLayoutAttribute));
        return chart;
    }

    /// <summary>
    /// Sets a plotly.js attribute on every trace of the chart by its dotted path, e.g.
    /// <c>WithTraceAttribute("marker.size", 4)</c> or <c>("contours.size", 0.1)</c>.
    /// </summary>
    public static GenericChart WithTraceAttribute(this GenericChart chart, string path, object? value)
    {
        foreach (var trace in GenericChart.getTraces(chart))
            Set(trace, path, value, nameof(WithTraceAttribute));
        return chart;
    }

    // The course's own charts: a title, both axis titles, an optional shared range and a log y axis.
    internal static GenericChart WithTitles(this GenericChart chart, string title, string xTitle, string yTitle,
        Tuple<double, double>? range = null, bool logY = false)
    {
        chart = range is null
            ? chart.WithXAxisStyle<double, double, string>(TitleText: xTitle)
                .WithYAxisStyle<double, double, string>(TitleText: yTitle, AxisType: logY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear)
            : chart.WithXAxisStyle<double, double, string>(TitleText: xTitle, MinMax: range)
                .WithYAxisStyle<double, double, string>(TitleText: yTitle, MinMax: range);
        return chart.WithTitle(title);
    }

    private static void Set(DynamicObj.DynamicObj root, string path, object? value, string op)
    {
        var parts = path.Split('.');
        if (parts.Any(p => p.Length == 0))
            throw new ArgumentException($"{op}: '{path}' is not a plotly.js attribute path such as 'marker.size'.", nameof(path));
        var target = root;
        foreach (var part in parts[..^1])
        {
            // FSharpOption: null when the property is absent.
            if (target.TryGetPropertyValue(part)?.Value is DynamicObj.DynamicObj child)
            {
                target = child;
                continue;
            }
            var created = new DynamicObj.DynamicObj();
            target.SetProperty(part, created);
            target = created;
        }
        target.SetProperty(parts[^1], value);
    }
}
