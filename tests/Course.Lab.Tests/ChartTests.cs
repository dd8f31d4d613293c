using System.Text.Json.Nodes;

namespace Course.Lab.Tests;

public class ChartTests
{
    internal static JsonObject Parse(Chart c) => JsonNode.Parse(c.ToJson())!.AsObject();

    [Fact]
    public void Line_chart_json_has_plotly_structure()
    {
        var c = Chart.Line([1.0, 2, 3], [4.0, 5, 6], name: "loss", color: "#123456")
            .WithTitle("Training").WithAxisTitles("step", "nats").WithLogY();
        var fig = Parse(c);
        var trace = fig["data"]![0]!;
        Assert.Equal("scatter", (string)trace["type"]!);
        Assert.Equal("lines", (string)trace["mode"]!);
        Assert.Equal("loss", (string)trace["name"]!);
        Assert.Equal([1.0, 2, 3], trace["x"]!.AsArray().Select(v => (double)v!));
        Assert.Equal("#123456", (string)trace["line"]!["color"]!);
        var layout = fig["layout"]!;
        Assert.Equal("Training", (string)layout["title"]!["text"]!);
        Assert.Equal("step", (string)layout["xaxis"]!["title"]!["text"]!);
        Assert.Equal("log", (string)layout["yaxis"]!["type"]!);
        Assert.Equal("white", (string)layout["template"]!["layout"]!["plot_bgcolor"]!);
        Assert.Equal(10, layout["template"]!["layout"]!["colorway"]!.AsArray().Count);
    }

    [Fact]
    public void Non_finite_numbers_become_null()
    {
        var json = Chart.Line([0.0, 1, 2], [1.0, double.NaN, double.PositiveInfinity]).Set("xaxis.dtick", double.NaN).ToJson();
        Assert.DoesNotContain("NaN", json);
        Assert.DoesNotContain("Infinity", json);
        var y = JsonNode.Parse(json)!["data"]![0]!["y"]!.AsArray();
        Assert.Equal(1.0, (double)y[0]!);
        Assert.Null(y[1]);
        Assert.Null(y[2]);
        Assert.Null(JsonNode.Parse(json)!["layout"]!["xaxis"]!["dtick"]);
    }

    [Fact]
    public void Mismatched_lengths_throw_naming_the_trace()
    {
        var e = Assert.Throws<ArgumentException>(() => Chart.Line([1.0, 2, 3], [1.0, 2], name: "kl"));
        Assert.Contains("'kl'", e.Message);
        Assert.Contains("3 x values but 2 y values", e.Message);
        Assert.Contains("'pts'", Assert.Throws<ArgumentException>(() => Chart.Scatter([1.0], [1.0, 2], "pts")).Message);
        Assert.Contains("columns", Assert.Throws<ArgumentException>(() => Chart.Heatmap(new double[2, 3], x: [1.0, 2], name: "h")).Message);
        Assert.Throws<ArgumentException>(() => Chart.Bar(["a", "b"], [1.0]));
    }

    [Fact]
    public void Other_kinds_use_plotly_trace_types()
    {
        var z = Chart.Evaluate(Chart.Linspace(-1, 1, 5), Chart.Linspace(-1, 1, 4), (x, y) => x * x + y);
        Assert.Equal((4, 5), (z.GetLength(0), z.GetLength(1)));
        Assert.Equal(1 + (-1), z[0, 0], 12);
        Assert.Equal("heatmap", (string)Parse(Chart.Heatmap(z))["data"]![0]!["type"]!);
        Assert.Equal(4, Parse(Chart.Contour(z))["data"]![0]!["z"]!.AsArray().Count);
        Assert.Equal("surface", (string)Parse(Chart.Surface(z))["data"]![0]!["type"]!);
        var hist = Parse(Chart.Histogram([1.0, 2, 2, 3], bins: 3, density: true))["data"]![0]!;
        Assert.Equal("histogram", (string)hist["type"]!);
        Assert.Equal("probability density", (string)hist["histnorm"]!);
        var bar = Parse(Chart.Bar(["a", "b"], [1.0, 2]))["data"]![0]!;
        Assert.Equal("bar", (string)bar["type"]!);
        Assert.Equal("b", (string)bar["x"]![1]!);
        var image = Parse(Chart.Image(ImageGrid.FromImage([0f, 1f, 1f, 0f], 2, 2)))["data"]![0]!;
        Assert.Equal("image", (string)image["type"]!);
        Assert.StartsWith("data:image/png;base64,", (string)image["source"]!);
    }

    [Fact]
    public void Scatter_by_label_makes_one_trace_per_label()
    {
        var moons = Toy2D.TwoMoons(100, seed: 1);
        var fig = Parse(Chart.Scatter(moons));
        var data = fig["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal(["0", "1"], data.Select(t => (string)t!["name"]!));
        Assert.Equal(100, data.Sum(t => t!["x"]!.AsArray().Count));
        Assert.Equal("markers", (string)data[0]!["mode"]!);
        Assert.Equal("x", (string)fig["layout"]!["yaxis"]!["scaleanchor"]!);
    }

    [Fact]
    public void Plus_overlays_traces_without_changing_the_operands()
    {
        var a = Chart.Line([1.0, 2], name: "a").WithTitle("A");
        var b = Chart.Line([3.0, 4], name: "b").WithTitle("B");
        var both = a + b;
        Assert.Equal(2, both.Traces.Count);
        Assert.Single(a.Traces);
        Assert.Equal("A", (string)Parse(both)["layout"]!["title"]!["text"]!);
    }

    [Fact]
    public void Grid_places_charts_on_separate_axes_with_titles()
    {
        var z = Chart.Evaluate([0.0, 1], [0.0, 1], (x, y) => x + y);
        var g = Chart.Grid(2, 2,
            Chart.Line([1.0, 2], name: "loss").WithTitle("Loss").WithLogY(),
            Chart.Histogram([1.0, 2, 3]).WithTitle("Hist"),
            Chart.Heatmap(z).WithTitle("Map"),
            Chart.Surface(z).WithTitle("Surface"));
        var fig = Parse(g);
        var layout = fig["layout"]!;
        Assert.Equal(2, (int)layout["grid"]!["rows"]!);
        Assert.Equal(2, (int)layout["grid"]!["columns"]!);
        Assert.Equal("independent", (string)layout["grid"]!["pattern"]!);
        var data = fig["data"]!.AsArray();
        Assert.Equal("x", (string)data[0]!["xaxis"]!);
        Assert.Equal("x2", (string)data[1]!["xaxis"]!);
        Assert.Equal("y3", (string)data[2]!["yaxis"]!);
        Assert.Equal("scene", (string)data[3]!["scene"]!);
        Assert.Equal("log", (string)layout["yaxis"]!["type"]!);
        Assert.NotNull(layout["scene"]!["domain"]);
        Assert.Equal(["<b>Loss</b>", "<b>Hist</b>", "<b>Map</b>", "<b>Surface</b>"],
            layout["annotations"]!.AsArray().Select(a => (string)a!["text"]!));
        Assert.Throws<ArgumentException>(() => Chart.Grid(1, 1, g, g));
    }

    [Fact]
    public void Grid_cells_match_plotly_grid_domains()
    {
        var (s0, e0) = Chart.Cell(0, 3, 0.1);
        var (s2, e2) = Chart.Cell(2, 3, 0.1);
        Assert.Equal(0, s0, 12);
        Assert.Equal(1, e2, 12);
        Assert.True(e0 < s2);
    }

    [Fact]
    public void Html_loads_plotly_only_when_missing_and_uses_unique_ids()
    {
        var c = Chart.Line([1.0, 2], name: "</script><b>x</b>");
        var html1 = c.ToHtml();
        var html2 = c.ToHtml();
        var id = System.Text.RegularExpressions.Regex.Match(html1, "id=\"(course-chart-[0-9a-f]+)\"").Groups[1].Value;
        Assert.NotEmpty(id);
        Assert.DoesNotContain(id, html2);
        Assert.Contains("typeof window.Plotly !== 'undefined'", html1);
        Assert.Contains("newPlot(el, figure.data, figure.layout, {responsive: true", html1);
        Assert.Contains(Chart.PlotlyCdnUrl, html1);
        Assert.Equal("https://cdn.plot.ly/plotly-4.1.2.min.js", Chart.PlotlyCdnUrl);
        // a trace name cannot close the script element early
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html1, "</script>"));
    }

    [Fact]
    public void Standalone_html_inlines_plotly()
    {
        var dir = TestRepo.TempDir("chart-html");
        try
        {
            var path = Path.Combine(dir, "chart.html");
            var js = Path.Combine(TestRepo.Root, "node_modules", "plotly.js-dist-min", "plotly.min.js");
            if (!File.Exists(js))
            {
                // Without `npm ci` the library must say what is missing and how to fix it, and write nothing.
                var e = Assert.Throws<FileNotFoundException>(() => Chart.Line([1.0, 2]).WithTitle("Offline").SaveHtml(path, plotlyJsPath: js));
                Assert.Contains("plotly.js not found under node_modules", e.Message);
                Assert.Contains("run `npm ci` at the repository root", e.Message);
                Assert.Empty(Directory.GetFiles(dir));
                return;
            }
            Chart.Line([1.0, 2]).WithTitle("Offline").SaveHtml(path, plotlyJsPath: js);
            var html = File.ReadAllText(path);
            Assert.Contains("<title>Offline</title>", html);
            Assert.Contains("plotly.js v4.1.2", html);
            Assert.True(html.IndexOf("plotly.js v4.1.2") < html.IndexOf("course-chart-"));
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Missing_plotly_js_is_a_clear_error_naming_the_fix()
    {
        var dir = TestRepo.TempDir("chart-nojs");
        try
        {
            var missing = Path.Combine(dir, "node_modules", "plotly.js-dist-min", "plotly.min.js");
            var e = Assert.Throws<FileNotFoundException>(() => Chart.Line([1.0, 2]).SaveHtml(Path.Combine(dir, "c.html"), plotlyJsPath: missing));
            Assert.Contains("plotly.js not found under node_modules", e.Message);
            Assert.Contains(missing, e.Message);
            Assert.Contains("run `npm ci` at the repository root", e.Message);
            Assert.Empty(Directory.GetFiles(dir));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Plotly_mime_bundle_is_data_and_layout()
    {
        var c = Chart.Line([1.0, 2]);
        var json = JsonNode.Parse(c.Render(Chart.PlotlyMimeType))!.AsObject();
        Assert.Equal(["data", "layout"], json.Select(kv => kv.Key));
        Assert.StartsWith("<div id=\"course-chart-", c.Render("text/html"));
    }
}

public class HistogramBinningTests
{
    [Fact]
    public void Large_histograms_are_binned_into_bars_that_count_every_value()
    {
        var values = Enumerable.Range(0, 30_000).Select(i => (double)(i % 100)).Append(double.NaN).ToArray();
        var trace = JsonNode.Parse(Chart.Histogram(values, bins: 10).ToJson())!["data"]![0]!;
        Assert.Equal("bar", (string)trace["type"]!);
        var y = trace["y"]!.AsArray().Select(v => (double)v!).ToArray();
        Assert.Equal(10, y.Length);
        Assert.Equal(30_000, y.Sum());
        Assert.All(y, c => Assert.Equal(3000, c));

        var dens = JsonNode.Parse(Chart.Histogram(values, bins: 10, density: true).ToJson())!["data"]![0]!;
        double width = (double)dens["width"]!;
        Assert.Equal(1.0, dens["y"]!.AsArray().Sum(v => (double)v! * width), 9);
    }
}

public class FloatOverloadTests
{
    [Fact]
    public void Float_inputs_chart_like_doubles()
    {
        float[] y = [0.1f, 0.2f];
        var json = Chart.Line(y, "f").ToJson();
        Assert.Contains("\"y\":[0.1,0.2]", json);   // floats print short, not as 0.10000000149
        Assert.Equal("histogram", Chart.Histogram(new List<float> { 1, 2, 3 }).Traces[0].Type);
        Assert.Throws<ArgumentException>(() => Chart.Scatter(new float[] { 1 }, new float[] { 1, 2 }));
    }

    [Fact]
    public void Legends_colours_and_log_x_use_plotly_names()
    {
        var c = (Chart.Scatter([1.0, 10, 100], [1.0, 2, 3], "pts", color: "crimson") +
                 Chart.Bar(["a", "b"], [1.0, 2], "bars", color: "#54a24b") +
                 Chart.Histogram([1.0, 2, 2], name: "h", color: "rgba(0,0,0,0.5)"))
            .WithLogX().WithLegend().WithXRange(0, 2);
        var fig = ChartTests.Parse(c);
        var data = fig["data"]!.AsArray();
        Assert.Equal("crimson", (string)data[0]!["marker"]!["color"]!);
        Assert.Equal("#54a24b", (string)data[1]!["marker"]!["color"]!);
        Assert.Equal("rgba(0,0,0,0.5)", (string)data[2]!["marker"]!["color"]!);
        Assert.Equal(["pts", "bars", "h"], data.Select(t => (string)t!["name"]!));
        var layout = fig["layout"]!;
        Assert.Equal("log", (string)layout["xaxis"]!["type"]!);
        Assert.True((bool)layout["showlegend"]!);
        Assert.Equal([0.0, 2], layout["xaxis"]!["range"]!.AsArray().Select(v => (double)v!));
        Assert.False((bool)ChartTests.Parse(Chart.Line([1.0]).WithLegend(false))["layout"]!["showlegend"]!);
    }
}

public class ChartEdgeTests
{
    [Fact]
    public void Lengths_are_checked_again_when_rendering_and_sizes_may_be_doubles()
    {
        var c = Chart.Line([1.0, 2], [3.0, 4], name: "late");
        c.Traces[0].Set("y", new[] { 1.0, 2, 3 });
        Assert.Contains("'late'", Assert.Throws<ArgumentException>(() => c.ToJson()).Message);

        var html = Chart.Line([1.0, 2]).Set("height", 333.0).Set("width", 500).ToHtml();
        Assert.Contains("height:333px", html);
        Assert.Contains("max-width:500px", html);
    }
}
