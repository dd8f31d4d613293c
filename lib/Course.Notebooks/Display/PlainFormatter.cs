using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Course.Notebooks.Model;

namespace Course.Notebooks.Display;

/// <summary>
/// Fallbacks for values without convention formatters: strings and numbers as text/plain, sequences of records
/// as an HTML table, other sequences as a bracketed list, anything else through ToString().
/// </summary>
public static class PlainFormatter
{
    private const int MaxItems = 100;

    public static MimeBundle Format(object? value)
    {
        var bundle = new MimeBundle();
        if (value is IEnumerable sequence and not string && value is not IFormattable)
        {
            var items = sequence.Cast<object?>().Take(MaxItems + 1).ToList();
            var more = items.Count > MaxItems ? $"... (more than {MaxItems} items)" : null;
            if (items.Count > MaxItems) items.RemoveAt(MaxItems);
            if (items.Count > 0 && items.All(i => i is not null && IsRecordLike(i.GetType())))
                bundle["text/html"] = Table(items!, more);
            bundle["text/plain"] = "[" + string.Join(", ", items.Select(Text)) + (more is null ? "" : ", " + more) + "]";
            return bundle;
        }
        bundle["text/plain"] = Text(value);
        return bundle;
    }

    /// <summary>Invariant text: "&lt;null&gt;", strings as is, numbers with '.' whatever the culture.</summary>
    public static string Text(object? value) => value switch
    {
        null => "<null>",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? value.GetType().Name,
    };

    // Records (class or struct) have a compiler-generated PrintMembers; anonymous types read like records too.
    private static bool IsRecordLike(Type type) =>
        type.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public) is not null
        || (type.Name.Contains("AnonymousType", StringComparison.Ordinal) && type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)));

    private static string Table(List<object> rows, string? more)
    {
        var columns = rows[0].GetType()
            .GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .ToList();
        var html = new StringBuilder("<table>\n<thead><tr>");
        foreach (var column in columns) html.Append("<th>").Append(WebUtility.HtmlEncode(column.Name)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var column in columns)
            {
                // Rows of mixed record types: a missing column stays empty.
                var cell = column.DeclaringType!.IsInstanceOfType(row) ? Text(column.GetValue(row)) : "";
                html.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>");
        if (more is not null) html.Append("\n<p>").Append(WebUtility.HtmlEncode(more)).Append("</p>");
        return html.ToString();
    }
}
