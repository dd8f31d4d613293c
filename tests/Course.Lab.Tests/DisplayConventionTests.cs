using System.Reflection;
using System.Text.Json.Nodes;

namespace Course.Lab.Tests;

/// <summary>
/// Looks formatters up the way a host that knows none of our types does: find an attribute named
/// TypeFormatterSourceAttribute, create its FormatterSourceType, call CreateTypeFormatters, and call each
/// formatter's MimeType and Format(object, TextWriter) by reflection.
/// </summary>
internal static class ConventionHost
{
    public static Dictionary<string, string> Format(object value)
    {
        var attribute = value.GetType().GetCustomAttributes(inherit: true)
            .Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var sourceType = (Type)attribute.GetType().GetProperty("FormatterSourceType")!.GetValue(attribute)!;
        var source = Activator.CreateInstance(sourceType)!;
        var formatters = (IEnumerable<object>)sourceType.GetMethod("CreateTypeFormatters")!.Invoke(source, null)!;
        var result = new Dictionary<string, string>();
        foreach (var f in formatters)
        {
            var mime = (string)f.GetType().GetProperty("MimeType")!.GetValue(f)!;
            var format = f.GetType().GetMethod("Format", [typeof(object), typeof(TextWriter)])!;
            using var writer = new StringWriter();
            if ((bool)format.Invoke(f, [value, writer])!) result[mime] = writer.ToString();
        }
        return result;
    }

    public static string[] PreferredMimeTypes(Type type)
    {
        var attribute = type.GetCustomAttributes(inherit: true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        return (string[])attribute.GetType().GetProperty("PreferredMimeTypes")!.GetValue(attribute)!;
    }
}

public class DisplayConventionTests
{
    [Fact]
    public void Attribute_has_the_convention_shape()
    {
        var t = typeof(TypeFormatterSourceAttribute);
        Assert.Equal("TypeFormatterSourceAttribute", t.Name);
        Assert.NotNull(t.GetConstructor([typeof(Type)]));
        Assert.Equal(typeof(Type), t.GetProperty("FormatterSourceType")!.PropertyType);
        Assert.Equal(typeof(string[]), t.GetProperty("PreferredMimeTypes")!.PropertyType);
        Assert.False(t.IsPublic); // internal, so it never clashes with a host's own type
    }

    [Fact]
    public void Image_grid_formats_as_base64_png_and_img()
    {
        var grid = ImageGrid.FromImage([0f, 1f, 0.5f, 0.25f], 2, 2);
        var formats = ConventionHost.Format(grid);
        Assert.Equal(grid.Png, Convert.FromBase64String(formats["image/png"]));
        Assert.StartsWith("<img", formats["text/html"]);
    }

    [Fact]
    public void Table_formats_records_as_html()
    {
        var table = Table.From([new { Model = "VAE", Nats = 100.25, Params = 1234567 }, new { Model = "<PixelCNN>", Nats = 81.3, Params = 5 }], "Scores");
        Assert.Equal(["Model", "Nats", "Params"], table.Columns);
        var formats = ConventionHost.Format(table);
        var html = formats["text/html"];
        Assert.Contains("<th", html);
        Assert.Contains("&lt;PixelCNN&gt;", html);
        Assert.Contains("1,234,567", html);
        Assert.Contains("100.25", html);
        Assert.Contains("Scores", formats["text/plain"]);
    }

    [Fact]
    public void Metric_formats_as_badge_and_metric_json()
    {
        var formats = ConventionHost.Format(new Metric("test_nelbo_nats", 101.3, "nats"));
        var json = JsonNode.Parse(formats["application/vnd.course.metric+json"])!;
        Assert.Equal("test_nelbo_nats", (string)json["name"]!);
        Assert.Equal(101.3, (double)json["value"]!);
        Assert.Equal("nats", (string)json["unit"]!);
        Assert.Contains("101.3", formats["text/html"]);
        Assert.Equal("test_nelbo_nats = 101.3 nats", formats["text/plain"]);
        Assert.Null(JsonNode.Parse(new Metric("x", double.NaN).ToJson())!["value"]);
    }

    [Fact]
    public void Progress_view_formats_as_html()
    {
        var view = new Progress(10, "VAE", interactive: false, writeLine: _ => { }).Snapshot(0, 0, false);
        var formats = ConventionHost.Format(view);
        Assert.Contains("VAE", formats["text/html"]);
    }

    // Under .NET Interactive the library renders its own types for every MIME type they declare: the same set a
    // convention host gets.
    [Fact]
    public void Each_type_declares_the_mime_types_its_formatters_write()
    {
        object[] values =
        [
            ImageGrid.FromImage([0f, 1f, 0.5f, 0.25f], 2, 2), Table.From([new { A = 1 }]),
            new Metric("m", 1), new Progress(10, "VAE", interactive: false, writeLine: _ => { }).Snapshot(0, 0, false),
        ];
        foreach (var value in values)
            Assert.Equal(ConventionHost.Format(value).Keys.Order(), MimeRendering.MimeTypesOf((IMimeRenderable)value).Order());
    }
}

[Collection(GlobalStateCollection.Name)]
public class DisplayHookTests
{
    private sealed class Capture : IDisposable
    {
        public readonly List<(object? Value, string? Id, bool Update)> Calls = [];
        private readonly object? _hook = AppContext.GetData(Display.HookKey);
        private readonly object? _interactive = AppContext.GetData(Display.InteractiveKey);

        public Capture(bool interactive)
        {
            AppContext.SetData(Display.HookKey, new Action<object?, string?, bool>((v, id, u) => Calls.Add((v, id, u))));
            AppContext.SetData(Display.InteractiveKey, interactive);
        }

        public void Dispose()
        {
            AppContext.SetData(Display.HookKey, _hook);
            AppContext.SetData(Display.InteractiveKey, _interactive);
        }
    }

    [Fact]
    public void Report_goes_through_the_hook_with_metric_json()
    {
        using var capture = new Capture(interactive: false);
        Metrics.Report("test_nelbo_nats", 101.3, unit: "nats");
        var (value, id, update) = Assert.Single(capture.Calls);
        Assert.Null(id);
        Assert.False(update);
        var json = JsonNode.Parse(ConventionHost.Format(value!)["application/vnd.course.metric+json"])!;
        Assert.Equal("{\"name\":\"test_nelbo_nats\",\"value\":101.3,\"unit\":\"nats\"}", json.ToJsonString());
    }

    [Fact]
    public void Report_takes_a_one_element_tensor_and_names_a_bool_one()
    {
        using var capture = new Capture(interactive: false);
        Metrics.Report("test_nll_nats", TorchSharp.torch.tensor(new float[] { 80, 82 }).mean(), unit: "nats");
        Metrics.Report("errors", TorchSharp.torch.tensor(12L));
        Assert.Equal([new Metric("test_nll_nats", 81, "nats"), new Metric("errors", 12)], capture.Calls.Select(c => c.Value));
        var e = Assert.Throws<ArgumentException>(() => Metrics.Report("ok", TorchSharp.torch.tensor(true)));
        Assert.Contains("Metrics.Report(\"ok\")", e.Message);
        Assert.Contains("Bool", e.Message);
        Assert.Equal(2, capture.Calls.Count);
    }

    [Fact]
    public void Without_a_hook_or_dotnet_interactive_report_prints_a_line_and_nothing_is_live()
    {
        var hook = AppContext.GetData(Display.HookKey);
        var stdout = Console.Out;
        try
        {
            AppContext.SetData(Display.HookKey, null);
            var sw = new StringWriter();
            Console.SetOut(sw);
            Metrics.Report("auc", 0.9731, null);
            Assert.Equal("auc = 0.9731", sw.ToString().Trim());
            Assert.False(DotNetInteractive.InCell);
            Assert.False(Display.CanUpdateInPlace);
        }
        finally
        {
            Console.SetOut(stdout);
            AppContext.SetData(Display.HookKey, hook);
        }
    }

    [Fact]
    public void Interactive_progress_shows_once_then_updates_the_same_display()
    {
        using var capture = new Capture(interactive: true);
        var lines = new List<string>();
        var p = new Progress(50, "GAN", writeLine: lines.Add);
        for (int i = 0; i < 50; i++) p.Step(1.0 / (i + 1), new { d_loss = 0.5 });
        Assert.Empty(lines);
        Assert.InRange(capture.Calls.Count, 2, 50);
        Assert.False(capture.Calls[0].Update);
        Assert.All(capture.Calls.Skip(1), c => Assert.True(c.Update));
        Assert.Single(capture.Calls.Select(c => c.Id).Distinct());
        var last = Assert.IsType<ProgressView>(capture.Calls[^1].Value);
        Assert.True(last.Done);
        Assert.Equal(50, last.Step);
        Assert.Contains(last.Extras, e => e.Name == "d_loss" && e.Value == 0.5);
    }

    [Fact]
    public void Headless_progress_prints_one_line_per_epoch_with_the_epoch_mean()
    {
        using var capture = new Capture(interactive: false);
        var lines = new List<string>();
        var p = new Progress(12, "VAE", stepsPerEpoch: 4, writeLine: lines.Add);
        for (int i = 0; i < 12; i++) p.Step(i, new Dictionary<string, double> { ["kl"] = 2 * i });
        Assert.Empty(capture.Calls);
        Assert.Equal(3, lines.Count);
        Assert.StartsWith("VAE epoch 1/3 | step 4/12 (33%) | loss 1.5 | kl 3 |", lines[0]);
        Assert.StartsWith("VAE epoch 3/3 | step 12/12 (100%) | loss 9.5 | kl 19 |", lines[2]);
        Assert.EndsWith("done", lines[2]);
        Assert.Contains("left", lines[0]);
        Assert.Equal(12, p.Losses.Count);
        Assert.Equal(22.0, p.History("kl")[^1]);
    }
}

public class ProgressTests
{
    [Fact]
    public void Without_epochs_headless_prints_about_ten_lines()
    {
        var lines = new List<string>();
        var p = new Progress(1000, "flow", interactive: false, writeLine: lines.Add);
        for (int i = 0; i < 1000; i++) p.Step(1);
        Assert.Equal(10, lines.Count);
        Assert.StartsWith("flow | step 100/1000 (10%) | loss 1 |", lines[0]);
    }

    [Fact]
    public void Per_epoch_use_prints_every_call()
    {
        var lines = new List<string>();
        var p = new Progress(3, "AE", unit: "epoch", interactive: false, writeLine: lines.Add);
        p.Step(0.3, new[] { ("val", 0.4) });
        p.Step(0.2);
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("AE epoch 1/3 | loss 0.3 | val 0.4 | ", lines[0]);
        p.Done();
        Assert.Equal(3, lines.Count);
        Assert.EndsWith("done", lines[2]);
    }

    [Fact]
    public void Divergence_is_named()
    {
        var p = new Progress(5, "GAN", interactive: false, writeLine: _ => { });
        p.Step(1);
        var e = Assert.Throws<ArithmeticException>(() => p.Step(double.NaN));
        Assert.Contains("GAN", e.Message);
        Assert.Contains("step 2", e.Message);
    }

    [Fact]
    public void Smoothing_keeps_constants_and_damps_noise()
    {
        Assert.All(Progress.Smooth([3.0, 3, 3, 3]), v => Assert.Equal(3, v, 12));
        var noisy = Enumerable.Range(0, 400).Select(i => i % 2 == 0 ? 1.0 : -1.0).ToArray();
        Assert.InRange(Progress.Smooth(noisy).Skip(100).Max(), 0, 0.3);
    }
}
