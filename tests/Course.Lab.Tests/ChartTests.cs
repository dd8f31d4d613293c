using System.Reflection;
using System.Text.Json.Nodes;
using Plotly.NET;
using Plotly.NET.CSharp;
using static TorchSharp.torch;
using Chart = Plotly.NET.CSharp.Chart;

namespace Course.Lab.Tests;

/// <summary>The course helpers build ordinary Plotly.NET charts: their plotly.js structure is what a page draws.</summary>
public class ChartTests
{
    internal static JsonObject Figure(GenericChart chart) => JsonNode.Parse(ChartDisplay.FigureJson(chart))!.AsObject();

    internal static JsonArray Traces(GenericChart chart) => Figure(chart)["data"]!.AsArray();

    internal static double[] Numbers(JsonNode? array) => array!.AsArray().Select(v => (double)v!).ToArray();

    [Fact]
    public void Histogram_bins_here_into_bars_whose_area_is_one_as_a_density()
    {
        var values = Enumerable.Range(0, 100_000).Select(i => Math.Sin(i) * 3).ToArray();
        var figure = Figure(Plots.Histogram(values, bins: 30, density: true, name: "sin"));
        var bars = figure["data"]!.AsArray().Single()!;
        Assert.Equal("bar", (string)bars["type"]!);
        Assert.Equal("sin", (string)bars["name"]!);
        Assert.Equal(30, bars["x"]!.AsArray().Count);
        Assert.Equal(30, bars["y"]!.AsArray().Count);
        double width = (double)bars["width"]!;
        Assert.Equal(6.0 / 30, width, 3);
        Assert.Equal(1.0, Numbers(bars["y"]).Sum() * width, 9);
        Assert.Equal("overlay", (string)figure["layout"]!["barmode"]!);
        Assert.True(ChartDisplay.FigureJson(Plots.Histogram(values, bins: 30)).Length < 20_000, "100,000 values should make a small figure");
    }

    [Fact]
    public void Histogram_counts_finite_values_of_any_number_type_and_tensors()
    {
        double Total(GenericChart c) => Numbers(Traces(c)[0]!["y"]).Sum();
        Assert.Equal(3, Total(Plots.Histogram(new[] { 1.0, double.NaN, 2, double.PositiveInfinity, 3 }, bins: 2)));
        Assert.Equal(4, Total(Plots.Histogram(new float[] { 1, 2, 2, 3 }, bins: 3)));
        Assert.Equal(2, Total(Plots.Histogram(new byte[] { 0, 255 })));
        Assert.Equal(5, Total(Plots.Histogram(new List<int> { 1, 1, 2, 3, 5 }, bins: 4)));
        Assert.Equal(10, Total(Plots.Histogram(Enumerable.Range(0, 10).Select(i => i * 0.5), bins: 5)));
        Assert.Equal(6, Total(Plots.Histogram(tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2L, 3]))));
        Assert.Equal(3, Total(Plots.Histogram(tensor(new long[] { 7, 7, 9 }))));
        Assert.Equal([1.0, 2], Numbers(Traces(Plots.Histogram(tensor(new[] { true, false, true }), bins: 2))[0]!["y"]));
        Assert.Contains("bins must be positive", Assert.Throws<ArgumentOutOfRangeException>(() => Plots.Histogram(new[] { 1.0 }, bins: 0)).Message);
        Assert.Contains("no finite values", Assert.Throws<ArgumentException>(() => Plots.Histogram(new[] { double.NaN })).Message);
    }

    [Fact]
    public void Density_histogram_draws_the_density_over_the_bars()
    {
        var rng = new Random(0);
        var samples = Enumerable.Range(0, 5000).Select(_ => rng.NextGaussian()).ToArray();
        double Pdf(double x) => Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);
        var traces = Traces(Plots.DensityHistogram(samples, Pdf, bins: 40, name: "draws", densityName: "N(0, 1)"));
        Assert.Equal(["bar", "scatter"], traces.Select(t => (string)t!["type"]!));
        Assert.Equal(["draws", "N(0, 1)"], traces.Select(t => (string)t!["name"]!));
        var x = Numbers(traces[1]!["x"]);
        Assert.Equal(400, x.Length);
        Assert.Equal(Pdf(x[123]), Numbers(traces[1]!["y"])[123], 12);
        Assert.Equal(samples.Min(), x[0], 9);
        Assert.Equal(samples.Max(), x[^1], 9);
    }

    [Fact]
    public void Scatter_by_label_makes_one_trace_per_label_in_order()
    {
        var traces = Traces(Plots.ScatterByLabel(new[] { 0.0, 1, 2, 3 }, new[] { 4.0, 5, 6, 7 }, new long[] { 2, 0, 2, 1 },
            namePrefix: "digit ", markerSize: 3, opacity: 0.5));
        Assert.Equal(["digit 0", "digit 1", "digit 2"], traces.Select(t => (string)t!["name"]!));
        Assert.All(traces, t => Assert.Equal(("scatter", "markers", 3.0, 0.5),
            ((string)t!["type"]!, (string)t["mode"]!, (double)t["marker"]!["size"]!, (double)t["opacity"]!)));
        Assert.Equal([0.0, 2], Numbers(traces[2]!["x"]));
        Assert.Equal([4.0, 6], Numbers(traces[2]!["y"]));
        // float sequences from tensors and LINQ, and string labels, work the same
        Assert.Equal(2, Traces(Plots.ScatterByLabel(new float[] { 1, 2 }, new float[] { 3, 4 }, new[] { "a", "b" })).Count);
        Assert.Single(Traces(Plots.ScatterByLabel(Enumerable.Range(0, 3).Select(i => (double)i), Enumerable.Repeat(1.0, 3), new[] { 5, 5, 5 })));
    }

    [Fact]
    public void Scatter_by_label_reads_point_and_label_tensors()
    {
        var points = tensor(new float[] { 0, 0, 1, 1, 2, 2, 3, 3 }, [4L, 2]);
        Assert.Equal(3, Traces(Plots.ScatterByLabel(points, tensor(new long[] { 0, 1, 1, 2 }))).Count);
        Assert.Equal(["0", "1"], Traces(Plots.ScatterByLabel(points, tensor(new float[] { 1, 0, 1, 1 }))).Select(t => (string)t!["name"]!).Order());
        Assert.Equal(2, Traces(Plots.ScatterByLabel(points, tensor(new[] { true, false, true, true }))).Count);
        Assert.Contains("[N, 2]", Assert.Throws<ArgumentException>(() => Plots.ScatterByLabel(tensor(new float[] { 1, 2, 3 }), tensor(new long[] { 0 }))).Message);
        Assert.Contains("Plots.ScatterByLabel", Assert.Throws<ArgumentException>(() => Plots.ScatterByLabel(points, tensor(new float[] { 0, 0.5f, 1, 1 }))).Message);
    }

    [Fact]
    public void Mismatched_lengths_get_an_error_naming_both()
    {
        var e = Assert.Throws<ArgumentException>(() => Plots.ScatterByLabel(new[] { 1.0, 2, 3 }, new[] { 1.0, 2 }, new[] { 0, 0, 0 }));
        Assert.Contains("x has 3 values, y 2 and labels 3", e.Message);
        // Plotly.NET itself draws what it can; the course's display names the trace and both lengths instead.
        var line = Chart.Line<double, double, string>([1.0, 2, 3], [1.0, 2], Name: "kl");
        var display = Assert.Throws<ArgumentException>(() => ChartDisplay.FigureJson(line));
        Assert.Contains("'kl'", display.Message);
        Assert.Contains("3 x values but 2 y values", display.Message);
        Assert.Contains("2 x values but 1 y values", Assert.Throws<ArgumentException>(() =>
            ChartDisplay.Html(Chart.Column<double, string, string>([1.0], Keys: new[] { "a", "b" }), false)).Message);
    }

    [Fact]
    public void Evaluate_puts_y_along_rows_and_contour_draws_it()
    {
        var xs = Plots.Linspace(-1, 1, 5);
        var ys = Plots.Linspace(0, 3, 4);
        Assert.Equal([-1.0, -0.5, 0, 0.5, 1], xs);
        var z = Plots.Evaluate(xs, ys, (x, y) => 10 * x + y);
        Assert.Equal((4, 5), (z.Length, z[0].Length));
        Assert.Equal(10 * 0.5 + 2, z[2][3], 12);
        var trace = Traces(Plots.Contour(xs, ys, (x, y) => x * x + y, name: "bowl"))[0]!;
        Assert.Equal(("contour", "bowl"), ((string)trace["type"]!, (string)trace["name"]!));
        Assert.Equal(xs, Numbers(trace["x"]));
        Assert.Equal(ys, Numbers(trace["y"]));
        Assert.Equal(4, trace["z"]!.AsArray().Count);
        // Plotly.NET 6.0.0 writes line.width 0 for every contour: the helper puts plotly's default back.
        Assert.Equal(0.5, (double)trace["line"]!["width"]!);
        Assert.Equal([1.0], Plots.Linspace(1, 5, 1));
    }

    [Fact]
    public void A_model_is_evaluated_on_the_grid_in_one_batch()
    {
        int calls = 0;
        var xs = Plots.Linspace(-2, 2, 3);
        var ys = Plots.Linspace(0, 1, 2);
        var z = Plots.Evaluate(xs, ys, points =>
        {
            calls++;
            Assert.Equal([6L, 2], points.shape);
            return points[.., 0] * 10 + points[.., 1];
        });
        Assert.Equal(1, calls);
        Assert.Equal([[-20.0, 0, 20], [-19, 1, 21]], z);
        var contour = Traces(Plots.Contour(xs, ys, p => p.square().sum(1).neg().exp()))[0]!;
        Assert.Equal(Math.Exp(-5), (double)contour["z"]![1]![2]!, 6);
        var wrong = Assert.Throws<ArgumentException>(() => Plots.Evaluate(xs, ys, p => p.sum()));
        Assert.Contains("6 grid points", wrong.Message);
    }

    [Fact]
    public void Heatmap_shows_a_2d_tensor_as_an_image()
    {
        var mask = tensor(new[] { true, false, false, true, true, false }, [2L, 3]);
        var figure = Figure(Plots.Heatmap(mask));
        var z = figure["data"]![0]!["z"]!.AsArray();
        Assert.Equal("heatmap", (string)figure["data"]![0]!["type"]!);
        Assert.Equal([1.0, 0, 0], Numbers(z[0]));
        Assert.Equal(2, z.Count);
        Assert.Equal("reversed", (string)figure["layout"]!["yaxis"]!["autorange"]!);
        Assert.Equal("x", (string)figure["layout"]!["yaxis"]!["scaleanchor"]!);
        Assert.Contains("2-D", Assert.Throws<ArgumentException>(() => Plots.Heatmap(tensor(new float[] { 1, 2 }))).Message);
    }

    [Fact]
    public void Progress_chart_draws_raw_and_smoothed_losses()
    {
        var p = new Progress(200, "VAE", interactive: false, writeLine: _ => { });
        var rng = new Random(1);
        for (int i = 0; i < 200; i++) p.Step(100.0 / (1 + i) + rng.NextDouble());
        var figure = Figure(p.Chart(logY: true));
        var traces = figure["data"]!.AsArray();
        Assert.Equal(["loss", "smoothed"], traces.Select(t => (string)t!["name"]!));
        Assert.All(traces, t => Assert.Equal(200, t!["y"]!.AsArray().Count));
        Assert.Equal("log", (string)figure["layout"]!["yaxis"]!["type"]!);
        Assert.Equal("VAE: training loss", (string)figure["layout"]!["title"]!["text"]!);
        Assert.Equal("linear", (string)Figure(p.Chart())["layout"]!["yaxis"]!["type"]!);
    }

    [Fact]
    public void Style_sets_titles_and_any_plotly_attribute()
    {
        var chart = Chart.Point<double, double, string>([1.0, 2], [3.0, 4])
            .WithTitle("points").WithLayoutAttribute("yaxis.scaleanchor", "x").WithTraceAttribute("marker.line.width", 2);
        var figure = Figure(chart);
        Assert.Equal("points", (string)figure["layout"]!["title"]!["text"]!);
        Assert.Equal("x", (string)figure["layout"]!["yaxis"]!["scaleanchor"]!);
        Assert.Equal(2, (int)figure["data"]![0]!["marker"]!["line"]!["width"]!);
        Assert.Throws<ArgumentException>(() => chart.WithLayoutAttribute("xaxis..type", "log"));
    }

    [Fact]
    public void Display_keeps_the_template_and_the_chart()
    {
        var chart = Chart.Line<int, int, string>([1, 2], [3, 4]).WithSize(700, 300);
        var first = ChartDisplay.FigureJson(chart);
        Assert.Equal(first, ChartDisplay.FigureJson(chart));
        Assert.Equal(JsonNode.Parse(GenericChart.toJson(chart))!["layout"]!["template"]!.ToJsonString(),
            JsonNode.Parse(first)!["layout"]!["template"]!.ToJsonString());
        Assert.NotNull(GenericChart.getLayout(chart).TryGetPropertyValue("template"));
        // Another template is written as Plotly.NET writes it, not replaced by the cached default.
        var dark = Plotly.NET.Chart.withTemplate(ChartTemplates.dark).Invoke(Chart.Line<int, int, string>([1, 2], [3, 4]));
        var darkTemplate = JsonNode.Parse(ChartDisplay.FigureJson(dark))!["layout"]!["template"]!.ToJsonString();
        Assert.Equal(JsonNode.Parse(GenericChart.toJson(dark))!["layout"]!["template"]!.ToJsonString(), darkTemplate);
        Assert.NotEqual(JsonNode.Parse(first)!["layout"]!["template"]!.ToJsonString(), darkTemplate);
        var html = ChartDisplay.Html(chart, includePlotlyJs: false);
        Assert.Contains("width:700px;max-width:100%;height:300px;", html);
        Assert.DoesNotContain("data-course-plotly-js", html);
        Assert.Matches(@"^GenericChart: 1 trace\(s\) \[scatter\]$", ChartDisplay.Text(chart));
    }

    [Fact]
    public void Html_keeps_strings_inside_its_script()
    {
        var html = ChartDisplay.Html(Chart.Line<int, int, string>([1], [1]).WithTitle("</script><!-- x"), includePlotlyJs: false);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "</script>"));
        Assert.DoesNotContain("<!--", html);
    }

    [Fact]
    public void Plotly_js_comes_from_plotly_net_and_sets_window_plotly_next_to_require_js()
    {
        var html = ChartDisplay.Html(Chart.Line<int, int, string>([1], [1]), includePlotlyJs: true);
        var version = typeof(GenericChart).Assembly.GetType("Globals")!.GetField("PLOTLYJS_VERSION")!.GetValue(null);
        Assert.Equal(version, ChartDisplay.PlotlyJsVersion);
        Assert.StartsWith($"<script type=\"text/javascript\" data-course-plotly-js=\"{version}\">", html);
        Assert.Contains("(function (define, module, exports) {", html);
        Assert.True(html.Length > 1_000_000, "plotly.js inline");
        Assert.True(html.IndexOf("__coursePlotlyQueue", StringComparison.Ordinal) < html.IndexOf("class=\"course-chart\"", StringComparison.Ordinal),
            "plotly.js and the queue drain come before the chart");
    }
}

/// <summary>How hosts find and call the chart formatter (kept in one class: it sets the process-wide session key).</summary>
public class ChartDisplayRegistrationTests
{
    [Fact]
    public void Course_hosts_find_the_formatter_source_registered_under_the_type_name()
    {
        _ = Plots.Linspace(0, 1, 2); // Course.Lab's module initializer has run
        var source = AppContext.GetData("Course.TypeFormatterSource:Plotly.NET.GenericChart") as Type;
        Assert.Equal(typeof(ChartFormatterSource), source);
        // As TypeFormatterConvention does it: create the source, call CreateTypeFormatters, then MimeType and Format.
        var instance = Activator.CreateInstance(source!, nonPublic: true)!;
        var chart = Chart.Line<double, double, string>([1.0, 2], [3.0, 4], Name: "a").WithTitle("t");
        var formats = new Dictionary<string, string>();
        foreach (var f in (IEnumerable<object>)source!.GetMethod("CreateTypeFormatters")!.Invoke(instance, null)!)
        {
            var t = f.GetType();
            Assert.True(((Type)t.GetProperty("Type")!.GetValue(f)!).IsInstanceOfType(chart));
            using var w = new StringWriter();
            if ((bool)t.GetMethod("Format")!.Invoke(f, [chart, w])!) formats[(string)t.GetProperty("MimeType")!.GetValue(f)!] = w.ToString();
        }
        Assert.Equal(["text/html", "application/vnd.plotly.v1+json", "text/plain"], formats.Keys);
        Assert.Contains("window.Plotly.newPlot(el, figure.data, figure.layout, figure.config)", formats["text/html"]);
        Assert.Equal("scatter", (string)JsonNode.Parse(formats["application/vnd.plotly.v1+json"])!["data"]![0]!["type"]!);
        Assert.Equal("GenericChart \"t\": 1 trace(s) [scatter 'a']", formats["text/plain"]);
    }

    [Fact]
    public void The_first_chart_of_each_session_carries_plotly_js()
    {
        var previous = AppContext.GetData("Course.Session");
        object session = new();
        AppContext.SetData("Course.Session", (Func<object?>)(() => session));
        try
        {
            var chart = Chart.Line<int, int, string>([1], [2]);
            Assert.Contains("data-course-plotly-js", ChartDisplay.Render(chart, "text/html"));
            Assert.DoesNotContain("data-course-plotly-js", ChartDisplay.Render(chart, "text/html"));
            session = new object();
            Assert.Contains("data-course-plotly-js", ChartDisplay.Render(chart, "text/html"));
            Assert.DoesNotContain("data-course-plotly-js", ChartDisplay.Render(chart, "application/vnd.plotly.v1+json"));
        }
        finally
        {
            AppContext.SetData("Course.Session", previous);
        }
    }

    [Fact]
    public void Dotnet_interactive_gets_both_mime_types_preferred_for_every_case_of_the_union()
    {
        FakeFormatter.Calls.Clear();
        ChartRegistration.RegisterWith(typeof(FakeFormatter));
        var registered = FakeFormatter.Calls.Where(c => c.Method == "Register").ToList();
        var cases = new[] { typeof(GenericChart), typeof(GenericChart.Chart), typeof(GenericChart.MultiChart) };
        Assert.Equal(cases.SelectMany(t => new[] { (t, "text/html"), (t, "application/vnd.plotly.v1+json") }), registered.Select(c => (c.Type, c.Mime)));
        Assert.All(FakeFormatter.Calls.Where(c => c.Method == "SetPreferredMimeTypesFor"),
            c => Assert.Equal("text/html application/vnd.plotly.v1+json", c.Mime));
        using var writer = new StringWriter();
        registered[1].Format!(Chart.Line<int, int, string>([1], [2]), writer);
        Assert.Equal("scatter", (string)JsonNode.Parse(writer.ToString())!["data"]![0]!["type"]!);
    }

    [Fact]
    public void A_newer_fsharp_core_request_gets_the_loaded_one()
    {
        var loaded = typeof(Microsoft.FSharp.Core.FSharpOption<int>).Assembly;
        Assert.Same(loaded, ChartRegistration.ResolveFSharpCore(System.Runtime.Loader.AssemblyLoadContext.Default, new AssemblyName("FSharp.Core, Version=99.0.0.0")));
        Assert.Null(ChartRegistration.ResolveFSharpCore(System.Runtime.Loader.AssemblyLoadContext.Default, new AssemblyName("Newtonsoft.Json")));
    }

    /// <summary>Stands in for .NET Interactive's Formatter: the same static method signatures, recording the calls.</summary>
    public static class FakeFormatter
    {
        public static readonly List<(string Method, Type Type, string Mime, Action<object, TextWriter>? Format)> Calls = [];

        public static void Register(Type type, Action<object, TextWriter> format, string mimeType) => Calls.Add(("Register", type, mimeType, format));

        public static void SetPreferredMimeTypesFor(Type type, string[] mimeTypes) => Calls.Add(("SetPreferredMimeTypesFor", type, string.Join(" ", mimeTypes), null));
    }
}
