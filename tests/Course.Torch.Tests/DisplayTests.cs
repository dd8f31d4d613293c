using System.Reflection;
using Course.Torch;
using static Course.Torch.torch;

namespace Course.Torch.Tests;

public class DisplayTests
{
    /// <summary>Finds the formatters the way a notebook host does: by attribute name and reflection only.</summary>
    static IEnumerable<(string mime, Func<object, TextWriter, bool> format)> Formatters()
    {
        var attr = typeof(Tensor).GetCustomAttributes(true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var at = attr.GetType();
        Assert.Equal(new[] { "text/html", "text/plain" }, (string[])at.GetProperty("PreferredMimeTypes")!.GetValue(attr)!);
        var sourceType = (Type)at.GetProperty("FormatterSourceType")!.GetValue(attr)!;
        var source = Activator.CreateInstance(sourceType)!;
        var list = (IEnumerable<object>)sourceType.GetMethod("CreateTypeFormatters")!.Invoke(source, null)!;
        foreach (var f in list)
        {
            var ft = f.GetType();
            var mime = (string)ft.GetProperty("MimeType")!.GetValue(f)!;
            var m = ft.GetMethod("Format", [typeof(object), typeof(TextWriter)])!;
            yield return (mime, (o, w) => (bool)m.Invoke(f, [o, w])!);
        }
    }

    [Fact]
    public void Tensor_formats_as_plain_text_and_html()
    {
        var fs = Formatters().ToDictionary(x => x.mime, x => x.format);
        var t = tensor(new float[] { 1, 2.5f, 3, 4 }, [2, 2]);
        var plain = new StringWriter();
        Assert.True(fs["text/plain"](t, plain));
        Assert.Equal(t.str(), plain.ToString());
        var html = new StringWriter();
        Assert.True(fs["text/html"](t, html));
        Assert.Contains("<table", html.ToString());
        Assert.Contains("[2, 2]", html.ToString());
        Assert.Contains("Float32", html.ToString());
        Assert.Contains(">2.5<", html.ToString());
        Assert.False(fs["text/html"]("not a tensor", new StringWriter()));
    }

    [Fact]
    public void Big_tensors_show_only_edges_in_html()
    {
        var fs = Formatters().ToDictionary(x => x.mime, x => x.format);
        var w = new StringWriter();
        fs["text/html"](arange(10000L).reshape(100, 100), w);
        var s = w.ToString();
        Assert.Contains(">9999<", s); Assert.Contains(">0<", s);
        Assert.DoesNotContain(">5050<", s);
        Assert.True(s.Length < 20_000);
    }
}
