using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace Course.Notebooks.Html;

/// <summary>
/// Markdig renders every inline math span as \( \); Jupyter treats $$...$$ inside a paragraph as display math,
/// so this renderer keeps that distinction for KaTeX.
/// </summary>
internal sealed class DisplayMathInlineRenderer : HtmlObjectRenderer<MathInline>
{
    protected override void Write(HtmlRenderer renderer, MathInline math)
    {
        bool display = math.DelimiterCount >= 2;
        renderer.Write("<span").WriteAttributes(math).Write('>');
        renderer.Write(display ? "\\[" : "\\(");
        renderer.WriteEscape(ref math.Content);
        renderer.Write(display ? "\\]" : "\\)");
        renderer.Write("</span>");
    }
}
