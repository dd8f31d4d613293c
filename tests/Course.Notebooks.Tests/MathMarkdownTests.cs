using Course.Notebooks.Html;

namespace Course.Notebooks.Tests;

public class MathMarkdownTests
{
    [Fact]
    public void Heading_math_keeps_its_braces()
    {
        var html = NotebookHtmlWriter.MarkdownToHtml("# Modelling $p(\\mathbf{x})$", null);
        Assert.Contains("<span class=\"math\">\\(p(\\mathbf{x})\\)</span>", html);
        Assert.StartsWith("<h1", html);
    }

    [Fact]
    public void Display_math_over_lines_is_not_parsed_as_markdown()
    {
        var html = NotebookHtmlWriter.MarkdownToHtml("The bound is $$a\n+ b_{1} * c_{2}$$ and more.", null);
        Assert.Contains("<span class=\"math\">\\[a\n+ b_{1} * c_{2}\\]</span>", html);
        Assert.DoesNotContain("<li>", html);
        Assert.DoesNotContain("<em>", html);
    }

    [Fact]
    public void Dollars_in_code_prices_and_escapes_stay_literal()
    {
        var html = NotebookHtmlWriter.MarkdownToHtml("Use `x$y$z`, pay $5 and $6, or \\$a\\$.\n\n```\nvar s = $\"{a}$\";\n```", null);
        Assert.DoesNotContain("class=\"math\"", html);
        Assert.Contains("x$y$z", html);
        Assert.Contains("$5 and $6", html);
    }

    [Fact]
    public void Math_is_html_encoded()
    {
        var html = NotebookHtmlWriter.MarkdownToHtml("If $a < b$ then $$x > y$$", null);
        Assert.Contains("\\(a &lt; b\\)", html);
        Assert.Contains("\\[x &gt; y\\]", html);
    }
}
