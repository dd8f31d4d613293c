using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Course.Notebooks.Html;

/// <summary>
/// Lifts $...$ and $$...$$ out of markdown before it is parsed and puts them back, HTML-encoded, afterwards, as
/// Jupyter's own renderer does: a '+' starting a line inside display math, or '{x}' after a heading, never reaches
/// the markdown parser. Code spans, fenced code and escaped dollars are left alone.
/// </summary>
internal static partial class MathProtector
{
    private const string Marker = "MATHPLACEHOLDERQ";

    public static (string Text, IReadOnlyList<string> Math) Remove(string markdown)
    {
        var math = new List<string>();
        var text = new StringBuilder(markdown.Length);
        int i = 0;
        bool lineStart = true;
        while (i < markdown.Length)
        {
            if (lineStart && FenceAt(markdown, i) is { } fence)
            {
                int end = FenceEnd(markdown, i, fence);
                text.Append(markdown, i, end - i);
                i = end;
                continue;
            }
            char c = markdown[i];
            lineStart = c == '\n';
            if (c == '\\' && i + 1 < markdown.Length && markdown[i + 1] == '$')
            {
                text.Append("\\$");
                i += 2;
            }
            else if (c == '`')
            {
                int end = CodeSpanEnd(markdown, i);
                text.Append(markdown, i, end - i);
                i = end;
            }
            else if (c == '$' && MathEnd(markdown, i) is int end and > 0)
            {
                text.Append(Marker).Append(math.Count).Append('Q');
                math.Add(markdown[i..end]);
                i = end;
            }
            else
            {
                text.Append(c);
                i++;
            }
        }
        return (text.ToString(), math);
    }

    public static string Restore(string html, IReadOnlyList<string> math) =>
        math.Count == 0 ? html : Placeholder().Replace(html, m =>
        {
            string source = math[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)];
            bool display = source.StartsWith("$$", StringComparison.Ordinal);
            string body = display ? source[2..^2] : source[1..^1];
            return display
                ? $"<span class=\"math\">\\[{WebUtility.HtmlEncode(body)}\\]</span>"
                : $"<span class=\"math\">\\({WebUtility.HtmlEncode(body)}\\)</span>";
        });

    /// <summary>End (exclusive) of the math starting at <paramref name="start"/>, or -1 when the '$' is literal.</summary>
    private static int MathEnd(string s, int start)
    {
        if (start + 1 < s.Length && s[start + 1] == '$')
        {
            int close = s.IndexOf("$$", start + 2, StringComparison.Ordinal);
            return close > start + 2 ? close + 2 : -1;
        }
        // Inline: no space just inside the delimiters, no blank line inside, not "$5 and $6" prices.
        if (start + 1 >= s.Length || char.IsWhiteSpace(s[start + 1])) return -1;
        for (int j = start + 1; j < s.Length; j++)
        {
            if (s[j] == '\\') { j++; continue; }
            if (s[j] == '\n' && j + 1 < s.Length && s[j + 1] == '\n') return -1;
            if (s[j] != '$') continue;
            if (char.IsWhiteSpace(s[j - 1])) return -1;
            if (j + 1 < s.Length && char.IsDigit(s[j + 1])) return -1;
            return j + 1;
        }
        return -1;
    }

    private static int CodeSpanEnd(string s, int start)
    {
        int run = 0;
        while (start + run < s.Length && s[start + run] == '`') run++;
        int close = s.IndexOf(new string('`', run), start + run, StringComparison.Ordinal);
        return close < 0 ? start + run : close + run;
    }

    private static string? FenceAt(string s, int lineStart)
    {
        int j = lineStart, indent = 0;
        while (j < s.Length && s[j] == ' ' && indent < 4) { j++; indent++; }
        if (j + 3 > s.Length) return null;
        string head = s.Substring(j, 3);
        return head is "```" or "~~~" ? head : null;
    }

    private static int FenceEnd(string s, int start, string fence)
    {
        int lineEnd = s.IndexOf('\n', start);
        while (lineEnd >= 0)
        {
            int next = lineEnd + 1;
            if (FenceAt(s, next) == fence)
            {
                int end = s.IndexOf('\n', next);
                return end < 0 ? s.Length : end + 1;
            }
            lineEnd = s.IndexOf('\n', next);
        }
        return s.Length;
    }

    [GeneratedRegex(Marker + @"(\d+)Q")]
    private static partial Regex Placeholder();
}
