using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Course.Notebooks.Model;
using Course.Shared;
using Markdig;

namespace Course.Notebooks.Html;

/// <summary>
/// One self-contained HTML page per notebook: markdown through Markdig with KaTeX math, highlighted C#, and every
/// output (HTML as is, so plotly charts run against the plotly.js inlined once in the head; PNG inline; streams
/// and errors as pre).
/// </summary>
public static partial class NotebookHtmlWriter
{
    // Math never reaches Markdig (MathProtector lifts it out first). Generic attributes are left out on purpose:
    // they would read "{x}" at the end of a heading as an attribute block.
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder()
        .UseAlertBlocks().UseAbbreviations().UseAutoIdentifiers().UseCitations().UseCustomContainers()
        .UseDefinitionLists().UseEmphasisExtras().UseFigures().UseFooters().UseFootnotes().UseGridTables()
        .UseMediaLinks().UsePipeTables().UseListExtras().UseTaskLists().UseAutoLinks()
        .Build();

    // Richest first, as Jupyter front ends choose.
    private static readonly string[] MimeOrder =
        ["text/html", PlotlyMimeType, "image/svg+xml", "image/png", "image/jpeg", "text/markdown", "text/latex", "application/json", "text/plain"];

    private const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    public static string Render(Notebook notebook, string title, WebAssets assets)
    {
        var body = new StringBuilder();
        var figures = new FigureIds();
        foreach (var cell in notebook.Cells)
        {
            switch (cell.Type)
            {
                case CellType.Markdown:
                    body.Append("<section class=\"cell markdown\">\n").Append(MarkdownToHtml(cell.Source, cell.Attachments)).Append("</section>\n");
                    break;
                case CellType.Code:
                    body.Append("<section class=\"cell code\">\n<div class=\"input\"><span class=\"prompt\">[")
                        .Append(cell.ExecutionCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? " ")
                        .Append("]</span><pre class=\"source\"><code>").Append(CSharpHighlighter.Highlight(cell.Source)).Append("</code></pre></div>\n");
                    if (cell.Outputs.Count > 0)
                    {
                        body.Append("<div class=\"outputs\">\n");
                        foreach (var output in cell.Outputs) body.Append(RenderOutput(output, figures)).Append('\n');
                        body.Append("</div>\n");
                    }
                    body.Append("</section>\n");
                    break;
                default:
                    body.Append("<section class=\"cell raw\"><pre>").Append(WebUtility.HtmlEncode(cell.Source)).Append("</pre></section>\n");
                    break;
            }
        }
        var content = body.ToString();
        // A chart output may carry plotly.js itself for front ends without it (marked data-course-plotly-js): the
        // page inlines its own copy in the head, so drop those instead of shipping the library twice.
        if (assets.NodeModules is not null) content = OutputPlotlyLibrary().Replace(content, "");
        bool hasMath = content.Contains("class=\"math\"", StringComparison.Ordinal);
        bool hasCharts = content.Contains("Plotly", StringComparison.Ordinal);

        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n")
            .Append("<style>").Append(PageStyle).Append("</style>\n");
        if (hasMath) page.Append(assets.KatexTags).Append('\n');
        if (hasCharts) page.Append(assets.PlotlyTag).Append('\n');
        page.Append("</head>\n<body>\n<main>\n").Append(content).Append("</main>\n");
        if (hasMath) page.Append(MathScript);
        page.Append("</body>\n</html>\n");
        return page.ToString();
    }

    /// <summary>Renders and writes atomically beside other outputs.</summary>
    public static void Write(Notebook notebook, string title, WebAssets assets, string path) =>
        AtomicFile.WriteAllText(path, Render(notebook, title, assets));

    /// <summary>The notebook's first markdown heading, else the fallback (usually the file name).</summary>
    public static string TitleOf(Notebook notebook, string fallback)
    {
        foreach (var cell in notebook.Cells.Where(c => c.Type == CellType.Markdown))
            if (Heading().Match(cell.Source) is { Success: true } m) return m.Groups[1].Value.Trim();
        return fallback;
    }

    internal static string MarkdownToHtml(string source, JsonObject? attachments)
    {
        // ![x](attachment:name.png) points into the cell's attachments: make it a data URI.
        if (attachments is not null)
        {
            source = Attachment().Replace(source, m =>
                attachments[m.Groups[1].Value] is JsonObject bundle && bundle.FirstOrDefault() is { Key: var mime, Value: JsonValue data }
                    ? $"data:{mime};base64,{data.GetValue<string>().Replace("\n", "", StringComparison.Ordinal)}"
                    : m.Value);
        }
        return MarkdownHtml(source);
    }

    private static string MarkdownHtml(string markdown)
    {
        var (text, math) = MathProtector.Remove(markdown);
        return MathProtector.Restore(Markdig.Markdown.ToHtml(text, Markdown), math);
    }

    private static string RenderOutput(Output output, FigureIds figures) => output switch
    {
        StreamOutput s => $"<pre class=\"stream {s.Name}\">{WebUtility.HtmlEncode(s.Text)}</pre>",
        ErrorOutput e => $"<pre class=\"error\">{WebUtility.HtmlEncode(StripAnsi(string.Join("\n", e.Traceback.Count > 0 ? e.Traceback : [$"{e.Name}: {e.Value}"])))}</pre>",
        RichOutput r => $"<div class=\"output {r.OutputType}\">{RenderBundle(r.Data, figures)}</div>",
        _ => "",
    };

    private static string RenderBundle(MimeBundle data, FigureIds figures)
    {
        var mime = MimeOrder.FirstOrDefault(data.ContainsKey);
        if (mime is null) return "";
        var content = data[mime];
        return mime switch
        {
            "text/html" or "image/svg+xml" => content,
            PlotlyMimeType => PlotlyFigure(content, figures.Next()),
            "image/png" or "image/jpeg" => $"<img alt=\"output\" src=\"data:{mime};base64,{content.Replace("\n", "", StringComparison.Ordinal)}\">",
            "text/markdown" => MarkdownHtml(content),
            "text/latex" => $"<div class=\"math\">{WebUtility.HtmlEncode(content)}</div>",
            _ => $"<pre class=\"text\">{WebUtility.HtmlEncode(content)}</pre>",
        };
    }

    // A figure without an HTML rendering (written by another tool): draw it with the page's plotly.js.
    private static string PlotlyFigure(string figureJson, string id)
    {
        var json = figureJson.Replace("</", "<\\/", StringComparison.Ordinal);
        return $"<div id=\"{id}\" class=\"plotly-figure\"></div>\n<script>(function () {{ var f = {json}; Plotly.newPlot('{id}', f.data || [], f.layout || {{}}, f.config || {{}}); }})();</script>";
    }

    // Element ids for figures drawn by the page: numbered, so the same notebook always gives the same page.
    private sealed class FigureIds
    {
        private int _count;

        public string Next() => $"course-figure-{++_count}";
    }

    private static string StripAnsi(string text) => Ansi().Replace(text, "");

    [GeneratedRegex(@"<script\b[^>]*\bdata-course-plotly-js\b[^>]*>.*?</script>\s*", RegexOptions.Singleline)]
    private static partial Regex OutputPlotlyLibrary();

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"attachment:([^\s)""']+)")]
    private static partial Regex Attachment();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    // Render only what MathProtector marked as math, so '$' in code and outputs stays literal.
    private const string MathScript = """
        <script>
        document.querySelectorAll('.math').forEach(function (el) {
          renderMathInElement(el, {
            delimiters: [
              { left: '\\[', right: '\\]', display: true },
              { left: '\\(', right: '\\)', display: false },
              { left: '$$', right: '$$', display: true }
            ],
            throwOnError: false
          });
        });
        </script>

        """;

    private const string PageStyle = """
        body { margin: 0; background: #fafafa; color: #1f2328; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
        main { max-width: 980px; margin: 0 auto; padding: 24px 20px 64px; }
        .cell { margin: 14px 0; }
        .markdown img { max-width: 100%; }
        .markdown table, .output table { border-collapse: collapse; margin: 8px 0; }
        .markdown th, .markdown td, .output th, .output td { border: 1px solid #d0d7de; padding: 3px 9px; text-align: right; }
        .markdown th, .output th { background: #f0f2f4; }
        .input { display: flex; gap: 8px; }
        .prompt { color: #6e7781; font: 13px/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; min-width: 3.2em; text-align: right; padding-top: 9px; }
        pre { font: 13.5px/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; margin: 0; overflow-x: auto; }
        pre.source { flex: 1; background: #f3f5f7; border: 1px solid #e1e4e8; border-radius: 6px; padding: 8px 12px; }
        .outputs { margin-left: calc(3.2em + 8px); padding: 6px 0; }
        .outputs > * { margin: 4px 0; }
        pre.stream, pre.text { white-space: pre-wrap; }
        pre.stderr { background: #fff5f5; }
        pre.error { background: #ffebe9; color: #82071e; padding: 8px 12px; border-radius: 6px; white-space: pre-wrap; }
        .output img { max-width: 100%; }
        .k { color: #0550ae; } .s { color: #0a3069; } .c { color: #6e7781; font-style: italic; } .n { color: #953800; } .d { color: #8250df; }
        div.math { overflow-x: auto; }
        """;
}
