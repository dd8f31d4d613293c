using Course.Notebooks.Display;
using Course.Notebooks.Execution;
using Course.Notebooks.Model;
using static Course.Notebooks.Tests.TestNotebooks;

namespace Course.Notebooks.Tests;

// The convention is matched by name: these stand in for a library's own copies (Course.Lab declares its own).
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface | AttributeTargets.Struct, Inherited = false)]
public sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    public Type FormatterSourceType { get; } = formatterSourceType;

    public string[]? PreferredMimeTypes { get; set; }
}

public sealed class ShapeFormatters
{
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new Formatter("text/plain", (o, w) => { w.Write($"shape {((IShape)o).Name}"); return true; }),
        new Formatter("text/html", (o, w) => { w.Write($"<b>{((IShape)o).Name}</b>"); return true; }),
        new Formatter("image/png", (_, _) => false),
        new TypedFormatter(),
    ];

    public sealed class Formatter(string mimeType, Func<object, TextWriter, bool> format)
    {
        public string MimeType { get; } = mimeType;

        public bool Format(object instance, TextWriter writer) => format(instance, writer);
    }

    // .NET Interactive formatters name the type they format: this one is for strings only.
    public sealed class TypedFormatter
    {
        public Type Type => typeof(string);

        public string MimeType => "text/markdown";

        public bool Format(object instance, TextWriter writer) => true;
    }
}

[TypeFormatterSource(typeof(ShapeFormatters), PreferredMimeTypes = ["text/html"])]
public interface IShape
{
    string Name { get; }
}

public sealed record Square(string Name) : IShape;

// A type the formatting library does not own: it may only register a formatter source under the type's name.
public class Foreign(string name)
{
    public string Name { get; } = name;
}

public sealed class ForeignChild(string name) : Foreign(name);

[TypeFormatterSource(typeof(ShapeFormatters))]
public sealed record OwnAttribute(string Name) : IShape;

public sealed class RegisteredFormatters
{
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new ShapeFormatters.Formatter("text/html", (o, w) => { w.Write($"<i>{(o as Foreign)?.Name ?? ((IShape)o).Name}</i>"); return true; }),
        new ShapeFormatters.Formatter("text/plain", (o, w) => { w.Write("registered"); return true; }),
    ];
}

public class DisplayTests
{
    [Fact]
    public void Convention_on_an_interface_builds_the_bundle_preferred_first()
    {
        var bundle = DisplayFormatter.Format(new Square("sq"));
        Assert.Equal(["text/html", "text/plain"], bundle.Keys);
        Assert.Equal("<b>sq</b>", bundle["text/html"]);
        Assert.Equal("shape sq", bundle["text/plain"]);
        Assert.Same(TypeFormatterConvention.For(typeof(Square)), TypeFormatterConvention.For(typeof(Square)));
    }

    [Fact]
    public void A_registered_formatter_source_serves_a_type_and_its_subclasses_whenever_it_is_registered()
    {
        const string key = TypeFormatterConvention.RegistryPrefix + "Course.Notebooks.Tests.Foreign";
        // Shown before any registration: plain text, and that is not remembered.
        Assert.Equal(["text/plain"], DisplayFormatter.Format(new ForeignChild("a")).Keys);
        AppContext.SetData(key, typeof(RegisteredFormatters));
        try
        {
            var bundle = DisplayFormatter.Format(new ForeignChild("a"));
            Assert.Equal(["text/html", "text/plain"], bundle.Keys);
            Assert.Equal("<i>a</i>", bundle["text/html"]);
            Assert.Equal("registered", DisplayFormatter.Format(new Foreign("b"))["text/plain"]);
        }
        finally
        {
            AppContext.SetData(key, null);
        }
        Assert.Equal(["text/plain"], DisplayFormatter.Format(new Foreign("c")).Keys);
    }

    [Fact]
    public void A_registration_wins_over_the_types_own_attribute()
    {
        const string key = TypeFormatterConvention.RegistryPrefix + "Course.Notebooks.Tests.OwnAttribute";
        Assert.Equal("<b>own</b>", DisplayFormatter.Format(new OwnAttribute("own"))["text/html"]);
        AppContext.SetData(key, typeof(RegisteredFormatters));
        try
        {
            Assert.Equal("<i>own</i>", DisplayFormatter.Format(new OwnAttribute("own"))["text/html"]);
        }
        finally
        {
            AppContext.SetData(key, null);
        }
    }

    [Fact]
    public void Requested_mime_types_filter_the_bundle()
    {
        Assert.Equal(["text/plain"], DisplayFormatter.Format(new Square("sq"), ["text/plain"]).Keys);
        var e = Assert.Throws<ArgumentException>(() => DisplayFormatter.Format(new Square("sq"), ["image/png"]));
        Assert.Contains("has no image/png representation (it has text/html, text/plain)", e.Message);
    }

    [Theory]
    [InlineData(null, "<null>")]
    [InlineData("text", "text")]
    [InlineData(1.5, "1.5")]
    [InlineData(-3, "-3")]
    public void Plain_values_are_invariant_text(object? value, string expected) =>
        Assert.Equal(expected, Assert.Single(DisplayFormatter.Format(value)).Value);

    [Fact]
    public void Sequences_are_bracketed_lists_and_records_get_a_table()
    {
        Assert.Equal("[0.5, 2]", DisplayFormatter.Format(new List<double> { 0.5, 2 })["text/plain"]);
        Assert.False(DisplayFormatter.Format(new[] { 1, 2 }).ContainsKey("text/html"));
        var html = DisplayFormatter.Format(new[] { new { Epoch = 1, Loss = 0.25 } })["text/html"];
        Assert.Contains("<th>Epoch</th><th>Loss</th>", html);
        Assert.Contains("<td>1</td><td>0.25</td>", html);
        var long_ = DisplayFormatter.Format(Enumerable.Range(0, 500))["text/plain"];
        Assert.EndsWith(", 99, ... (more than 100 items)]", long_);
    }

    [Fact]
    public void Notebook_defined_formatters_and_metrics_reach_outputs_and_results()
    {
        const string library = """
            class TypeFormatterSourceAttribute : Attribute
            {
                public TypeFormatterSourceAttribute(Type t) => FormatterSourceType = t;
                public Type FormatterSourceType { get; }
            }
            class MetricFormatter
            {
                public string MimeType { get; init; } = "";
                public bool Format(object o, System.IO.TextWriter w)
                {
                    var m = (Metric)o;
                    w.Write(MimeType == "text/plain" ? $"{m.Name} = {m.Value}" : System.Text.Json.JsonSerializer.Serialize(new { name = m.Name, value = m.Value, unit = m.Unit }));
                    return true;
                }
            }
            class MetricSource
            {
                public IEnumerable<object> CreateTypeFormatters() =>
                    new[] { new MetricFormatter { MimeType = "application/vnd.course.metric+json" }, new MetricFormatter { MimeType = "text/plain" } };
            }
            [TypeFormatterSource(typeof(MetricSource))]
            record Metric(string Name, double Value, string Unit);
            """;
        var (result, notebook) = Run(library, "display(new Metric(\"nll\", 81.5, \"nats\"));\nnew Metric(\"bpd\", 0.25, \"bits/dim\")");
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal([new Metric("nll", 81.5, "nats"), new Metric("bpd", 0.25, "bits/dim")], result.Metrics);
        Assert.Equal("nll = 81.5", Text(notebook.Cells[1].Outputs[0]));
        var json = NotebookFile.Serialize(notebook);
        Assert.Contains("\"application/vnd.course.metric+json\": {\n       \"name\": \"nll\"", json);
    }
}
