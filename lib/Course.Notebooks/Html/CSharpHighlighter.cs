using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Course.Notebooks.Html;

/// <summary>
/// A small C# highlighter for HTML pages: comments, strings, numbers, keywords and directives (#r, #load)
/// become spans with the classes c, s, n, k and d. Everything is HTML-encoded.
/// </summary>
public static partial class CSharpHighlighter
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "async", "await", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class",
        "const", "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit",
        "extern", "false", "finally", "fixed", "float", "for", "foreach", "get", "goto", "if", "implicit", "in", "init",
        "int", "interface", "internal", "is", "lock", "long", "nameof", "namespace", "new", "not", "null", "object",
        "operator", "or", "and", "out", "override", "params", "private", "protected", "public", "readonly", "record",
        "ref", "required", "return", "sbyte", "sealed", "set", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "var", "virtual", "void", "volatile", "when", "where", "while", "with", "yield",
    };

    public static string Highlight(string code)
    {
        var html = new StringBuilder(code.Length * 2);
        int last = 0;
        foreach (Match m in Token().Matches(code))
        {
            html.Append(WebUtility.HtmlEncode(code[last..m.Index]));
            last = m.Index + m.Length;
            string? css =
                m.Groups["comment"].Success ? "c"
                : m.Groups["directive"].Success ? "d"
                : m.Groups["string"].Success ? "s"
                : m.Groups["number"].Success ? "n"
                : Keywords.Contains(m.Value) ? "k"
                : null;
            var text = WebUtility.HtmlEncode(m.Value);
            if (css is null) html.Append(text);
            else html.Append("<span class=\"").Append(css).Append("\">").Append(text).Append("</span>");
        }
        html.Append(WebUtility.HtmlEncode(code[last..]));
        return html.ToString();
    }

    [GeneratedRegex("""
        (?<comment>//[^\n]*|/\*[\s\S]*?(?:\*/|$))
        |(?<directive>^[ \t]*\#[a-z]+\b[^\n]*)
        |(?<string>\$*"{3,}[\s\S]*?"{3,}|\$?@\$?"(?:[^"]|"")*"|\$?"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)+')
        |(?<number>\b(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)[fFdDmMuUlL]{0,2}\b)
        |(?<word>@?[A-Za-z_][A-Za-z0-9_]*)
        """, RegexOptions.Multiline | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Token();
}
