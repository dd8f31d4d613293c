using System.Globalization;
using System.Net;
using static Course.Torch.torch;

namespace Course.Torch.Display;

/// <summary>Creates the Tensor formatters (text/plain = str(), text/html = a small table of values).</summary>
public sealed class TensorFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return new TensorFormatter("text/html");
        yield return new TensorFormatter("text/plain");
    }
}

/// <summary>One formatter of the display convention: MimeType, Type and Format(object, TextWriter).</summary>
public sealed class TensorFormatter
{
    public TensorFormatter(string mimeType) => MimeType = mimeType;

    public string MimeType { get; }
    public Type Type => typeof(Tensor);

    /// <summary>Rows and columns shown from each end when a tensor is large.</summary>
    public static int EdgeItems { get; set; } = 5;

    public bool Format(object instance, TextWriter writer)
    {
        if (instance is not Tensor t) return false;
        if (MimeType == "text/plain") { writer.Write(t.str()); return true; }
        if (MimeType != "text/html") return false;
        writer.Write(Html(t));
        return true;
    }

    /// <summary>A compact HTML table: shape and dtype caption; N-d tensors shown as rows of their last dim.</summary>
    public static string Html(Tensor t)
    {
        var sb = new System.Text.StringBuilder();
        string shape = "[" + string.Join(", ", t.shape) + "]";
        sb.Append("<div class=\"course-tensor\"><table style=\"border-collapse:collapse;font-family:monospace;font-size:12px\">");
        sb.Append("<caption style=\"text-align:left\">tensor ").Append(WebUtility.HtmlEncode(shape)).Append(", ").Append(t.dtype).Append("</caption>");
        var m = t.ndim switch { 0 => t.reshape(1, 1), 1 => t.reshape(1, -1), 2 => t, _ => t.reshape(-1, t.shape[^1]) };
        long rows = m.shape[0], cols = m.shape[1];
        var rowIdx = Pick(rows); var colIdx = Pick(cols);
        sb.Append("<tbody>");
        foreach (var r in rowIdx)
        {
            sb.Append("<tr>");
            if (r < 0) { foreach (var _ in colIdx) sb.Append("<td style=\"padding:2px 6px;text-align:center\">&#8942;</td>"); sb.Append("</tr>"); continue; }
            foreach (var c in colIdx)
            {
                sb.Append("<td style=\"padding:2px 6px;text-align:right\">");
                sb.Append(c < 0 ? "&#8230;" : WebUtility.HtmlEncode(Cell(m, r, c)));
                sb.Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table></div>");
        return sb.ToString();
    }

    static List<long> Pick(long n)
    {
        var l = new List<long>();
        if (n <= 2 * EdgeItems + 1) { for (long i = 0; i < n; i++) l.Add(i); return l; }
        for (long i = 0; i < EdgeItems; i++) l.Add(i);
        l.Add(-1);
        for (long i = n - EdgeItems; i < n; i++) l.Add(i);
        return l;
    }

    static string Cell(Tensor m, long r, long c) => m.dtype switch
    {
        ScalarType.Float32 => m.data<float>()[r, c].ToString("G5", CultureInfo.InvariantCulture),
        ScalarType.Int64 => m.data<long>()[r, c].ToString(CultureInfo.InvariantCulture),
        _ => m.data<bool>()[r, c] ? "true" : "false",
    };
}
