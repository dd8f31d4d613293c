using Course.Notebooks.Execution;
using Course.Notebooks.Html;
using Course.Notebooks.Model;

namespace Course.Notebooks.Tests;

public class HtmlTests
{
    [Fact]
    public void Highlighter_marks_keywords_strings_comments_numbers_and_directives()
    {
        var html = CSharpHighlighter.Highlight("#r \"../x.dll\"\nvar s = \"a<b\"; // note\nint n = 0x1F + 2.5e3f; /* block */ var c = 'q';");
        Assert.Contains("<span class=\"d\">#r &quot;../x.dll&quot;</span>", html);
        Assert.Contains("<span class=\"k\">var</span> s = <span class=\"s\">&quot;a&lt;b&quot;</span>;", html);
        Assert.Contains("<span class=\"c\">// note</span>", html);
        Assert.Contains("<span class=\"n\">0x1F</span>", html);
        Assert.Contains("<span class=\"n\">2.5e3f</span>", html);
        Assert.Contains("<span class=\"c\">/* block */</span>", html);
        Assert.Contains("<span class=\"s\">&#39;q&#39;</span>", html);
    }

    [Fact]
    public void Verbatim_interpolated_and_raw_strings_stay_one_token()
    {
        var html = CSharpHighlighter.Highlight("var a = @\"c:\\dir\"\"x\"; var b = $\"{n} // not a comment\"; var c = \"\"\"\nraw \"quoted\"\n\"\"\";");
        Assert.DoesNotContain("class=\"c\"", html);
        Assert.Contains("<span class=\"s\">$&quot;{n} // not a comment&quot;</span>", html);
        Assert.Contains("<span class=\"s\">&quot;&quot;&quot;\nraw &quot;quoted&quot;\n&quot;&quot;&quot;</span>", html);
    }

    [Fact]
    public void Page_inlines_katex_and_plotly_once_and_renders_every_output()
    {
        var notebook = Notebook.CreateCSharp(
            Cell.Markdown("# Results\nThe bound $\\log p(x)$ is *tight* when $$q = p.$$\n\n$$\na_{1} * b_{2}\n$$"),
            Cell.Code("x"));
        var code = notebook.Cells[1];
        code.ExecutionCount = 4;
        code.Outputs.Add(new StreamOutput("stdout", "epoch 1 <done>\n"));
        code.Outputs.Add(new DisplayDataOutput(new MimeBundle { ["text/html"] = "<div id=\"c\"></div><script>Plotly.newPlot('c', [])</script>", ["text/plain"] = "chart" }));
        code.Outputs.Add(new DisplayDataOutput(new MimeBundle { ["image/png"] = "iVBORw0KGgo=\n" }));
        code.Outputs.Add(new ExecuteResultOutput(new MimeBundle { ["text/plain"] = "a < b" }, 4));
        code.Outputs.Add(new ErrorOutput("E", "bad", ["\u001b[31mE: bad\u001b[0m", "   at top level in cell 2, line 1"]));

        var assets = WebAssets.Locate(RepoPaths.Root);
        Assert.Null(assets.Warning);
        var html = NotebookHtmlWriter.Render(notebook, NotebookHtmlWriter.TitleOf(notebook, "fallback"), assets);

        Assert.Contains("<title>Results</title>", html);
        Assert.Contains("<span class=\"math\">\\(\\log p(x)\\)</span>", html);
        Assert.Contains("<em>tight</em>", html);
        Assert.Contains("<span class=\"math\">\\[q = p.\\]</span>", html);
        Assert.Contains("a_{1} * b_{2}", html);
        Assert.Contains("renderMathInElement", html);
        Assert.Contains("src:url(data:font/woff2;base64,", html);
        Assert.DoesNotContain("fonts/KaTeX", html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "Plotly.newPlot\\('c'"));
        int plotlyLibrary = html.IndexOf("plotly.js v", StringComparison.Ordinal) is var i and >= 0 ? i : html.IndexOf("Plotly", StringComparison.Ordinal);
        Assert.True(plotlyLibrary < html.IndexOf("</head>", StringComparison.Ordinal));
        Assert.DoesNotContain("<script src=", html);
        Assert.DoesNotContain("<link rel=\"stylesheet\" href=", html);
        Assert.Contains("<pre class=\"stream stdout\">epoch 1 &lt;done&gt;\n</pre>", html);
        Assert.Contains("<img alt=\"output\" src=\"data:image/png;base64,iVBORw0KGgo=\">", html);
        Assert.Contains("<pre class=\"text\">a &lt; b</pre>", html);
        Assert.Contains("<pre class=\"error\">E: bad\n   at top level in cell 2, line 1</pre>", html);
        Assert.Contains("<span class=\"prompt\">[4]</span>", html);
    }

    [Fact]
    public void Page_without_math_or_charts_carries_neither_library()
    {
        var html = NotebookHtmlWriter.Render(Notebook.CreateCSharp(Cell.Markdown("Costs $5, not much.")), "t", WebAssets.Locate(RepoPaths.Root));
        Assert.DoesNotContain("katex", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Plotly", html);
        Assert.True(html.Length < 20_000);
    }

    [Fact]
    public void Missing_node_modules_falls_back_to_cdn_with_a_warning()
    {
        var assets = WebAssets.Locate("/");
        Assert.Null(assets.NodeModules);
        Assert.Contains("run npm ci", assets.Warning);
        Assert.Contains("<script src=\"https://cdn.jsdelivr.net/npm/plotly.js-dist-min@", assets.PlotlyTag);
    }

    [Fact]
    public void Plotly_json_without_html_is_drawn_with_the_inlined_library()
    {
        var cell = Cell.Code("chart");
        cell.Outputs.Add(new DisplayDataOutput(new MimeBundle { ["application/vnd.plotly.v1+json"] = "{\"data\": [{\"y\": [1, 2]}], \"layout\": {\"title\": {\"text\": \"</script>\"}}}", ["text/plain"] = "chart" }));
        var html = NotebookHtmlWriter.Render(Notebook.CreateCSharp(cell), "t", WebAssets.Locate(RepoPaths.Root));
        Assert.Contains("<div id=\"course-figure-1\" class=\"plotly-figure\"></div>", html);
        Assert.Contains("Plotly.newPlot('course-figure-1', f.data", html);
        Assert.Contains("\"text\": \"<\\/script>\"", html);
        Assert.DoesNotContain("<pre class=\"text\">chart</pre>", html);
    }

    [Fact]
    public void A_plotly_js_copy_carried_by_an_output_is_dropped_when_the_page_inlines_its_own()
    {
        var cell = Cell.Code("chart");
        cell.Outputs.Add(new ExecuteResultOutput(new MimeBundle
        {
            ["text/html"] = "<script type=\"text/javascript\" data-course-plotly-js=\"2.28.0\">\nwindow.Plotly = {}; // the library\n</script>\n<div class=\"course-chart\"></div><script>Plotly.newPlot(el);</script>",
            ["text/plain"] = "chart",
        }, 1));
        var notebook = Notebook.CreateCSharp(cell);
        var inlined = NotebookHtmlWriter.Render(notebook, "t", WebAssets.Locate(RepoPaths.Root));
        Assert.DoesNotContain("the library", inlined);
        Assert.Contains("<div class=\"course-chart\"></div><script>Plotly.newPlot(el);</script>", inlined);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(inlined, "<script>/\\*\\*\\n\\* plotly.js v"));
        // Without node_modules the page only links the CDN: the carried copy is what works offline, so it stays.
        Assert.Contains("the library", NotebookHtmlWriter.Render(notebook, "t", WebAssets.Locate("/")));
    }

    [Fact]
    public void Markdown_attachments_become_data_uris()
    {
        var cell = Cell.Markdown("![dot](attachment:dot.png)");
        cell.Attachments = new System.Text.Json.Nodes.JsonObject { ["dot.png"] = new System.Text.Json.Nodes.JsonObject { ["image/png"] = "iVBORw0KGgo=" } };
        var html = NotebookHtmlWriter.Render(Notebook.CreateCSharp(cell), "t", WebAssets.Locate(RepoPaths.Root));
        Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgo=\"", html);
    }
}
