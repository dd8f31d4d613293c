namespace Course.Lab;

/// <summary>The look shared by the HTML that course types render (tables, metric badges, progress).</summary>
internal static class HtmlStyle
{
    /// <summary>A CSS font-family list, quotes escaped for use inside a style attribute.</summary>
    internal const string FontFamily = "Inter, &#39;Segoe UI&#39;, &#39;Helvetica Neue&#39;, Helvetica, Arial, sans-serif";
}
