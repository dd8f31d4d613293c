using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;

namespace Course.Lab;

/// <summary>
/// Rows of records shown as an HTML table (and aligned text). <see cref="From{T}"/> takes any records, anonymous
/// objects or classes and uses their public properties as columns.
/// </summary>
[TypeFormatterSource(typeof(MimeFormatterSource<Table>), PreferredMimeTypes = ["text/html"])]
public sealed class Table : IMimeRenderable
{
    public Table(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows, string? title = null)
    {
        Columns = columns;
        Rows = rows.ToList();
        for (int i = 0; i < Rows.Count; i++)
            if (Rows[i].Count != columns.Count)
                throw new ArgumentException($"Table: row {i} has {Rows[i].Count} cells for {columns.Count} columns.");
        Title = title;
    }

    public IReadOnlyList<string> Columns { get; }
    public IReadOnlyList<IReadOnlyList<object?>> Rows { get; }
    public string? Title { get; }

    /// <summary>A table whose columns are <typeparamref name="T"/>'s public readable properties (then fields).</summary>
    public static Table From<T>(IEnumerable<T> rows, string? title = null)
    {
        var type = typeof(T);
        if (type == typeof(object))
        {
            var list = rows.ToList();
            type = list.FirstOrDefault()?.GetType() ?? typeof(object);
            rows = list;
        }
        var props = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToArray();
        var fields = type.GetFields(BindingFlags.Public | BindingFlags.Instance);
        var columns = props.Select(p => p.Name).Concat(fields.Select(f => f.Name)).ToArray();
        var data = rows.Select(r => (IReadOnlyList<object?>)props.Select(p => r is null ? null : p.GetValue(r))
            .Concat(fields.Select(f => r is null ? null : f.GetValue(r))).ToArray());
        return new Table(columns, data, title);
    }

    /// <summary>How cells print: numbers compactly (4 significant digits for small or large values), the rest by ToString.</summary>
    public static string FormatCell(object? value) => value switch
    {
        null => "",
        double d => FormatNumber(d),
        float f => FormatNumber(f),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        IFormattable x when value is int or long or short or byte or uint or ulong => x.ToString("N0", CultureInfo.InvariantCulture),
        string s => s,
        TorchSharp.torch.Tensor t => FormatTensor(t),
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(FormatCell)) + "]",
        _ => value.ToString() ?? "",
    };

    // A one-element tensor (a loss, a count, a flag) shows its value in its own dtype; larger ones their shape and dtype.
    private static string FormatTensor(TorchSharp.torch.Tensor t)
    {
        if (t.numel() != 1) return $"tensor {TensorValues.Shape(t)} {t.dtype}";
        return t.dtype switch
        {
            TorchSharp.torch.ScalarType.Float32 => FormatNumber(t.data<float>().ToArray()[0]),
            TorchSharp.torch.ScalarType.Int64 => t.data<long>().ToArray()[0].ToString("N0", CultureInfo.InvariantCulture),
            TorchSharp.torch.ScalarType.Bool => t.data<bool>().ToArray()[0] ? "true" : "false",
            _ => $"tensor {TensorValues.Shape(t)} {t.dtype}",
        };
    }

    internal static string FormatNumber(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsInfinity(d)) return d > 0 ? "∞" : "-∞";
        double a = Math.Abs(d);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) return d.ToString("0.###e+0", CultureInfo.InvariantCulture);
        return d.ToString(a >= 100 ? "0.##" : "0.####", CultureInfo.InvariantCulture);
    }

    public string ToHtml()
    {
        var sb = new StringBuilder();
        sb.Append("<table class=\"course-table\" style=\"border-collapse:collapse;font-family:")
          .Append(HtmlStyle.FontFamily)
          .Append(";font-size:13px;margin:4px 0;\">");
        if (Title is not null)
            sb.Append("<caption style=\"text-align:left;font-weight:600;padding:4px 0;\">").Append(WebUtility.HtmlEncode(Title)).Append("</caption>");
        sb.Append("<thead><tr>");
        foreach (var c in Columns)
            sb.Append("<th style=\"text-align:left;padding:4px 12px;border-bottom:2px solid #9a9a9a;\">").Append(WebUtility.HtmlEncode(c)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        for (int i = 0; i < Rows.Count; i++)
        {
            sb.Append(i % 2 == 1 ? "<tr style=\"background:#f6f6f6;\">" : "<tr>");
            foreach (var cell in Rows[i])
            {
                bool numeric = cell is double or float or int or long or decimal or short ||
                               cell is TorchSharp.torch.Tensor { dtype: not TorchSharp.torch.ScalarType.Bool } t && t.numel() == 1;
                sb.Append("<td style=\"padding:4px 12px;border-bottom:1px solid #e6e6e6;")
                  .Append(numeric ? "text-align:right;font-variant-numeric:tabular-nums;" : "text-align:left;")
                  .Append("\">").Append(WebUtility.HtmlEncode(FormatCell(cell))).Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        return sb.ToString();
    }

    public override string ToString()
    {
        var cells = Rows.Select(r => r.Select(FormatCell).ToArray()).ToList();
        var widths = Columns.Select((c, j) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[j].Length))).ToArray();
        var sb = new StringBuilder();
        if (Title is not null) sb.AppendLine(Title);
        sb.AppendLine(string.Join("  ", Columns.Select((c, j) => c.PadRight(widths[j]))).TrimEnd());
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var r in cells) sb.AppendLine(string.Join("  ", r.Select((c, j) => c.PadRight(widths[j]))).TrimEnd());
        return sb.ToString().TrimEnd('\n', '\r');
    }

    public static IReadOnlyList<string> MimeTypes { get; } = ["text/html", "text/plain"];

    public string Render(string mimeType) => mimeType == "text/html" ? ToHtml() : ToString();
}
