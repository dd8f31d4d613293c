using Course.Notebooks.Model;

namespace Course.Notebooks.Display;

/// <summary>Turns any value into a MIME bundle: the formatter convention first, then plain fallbacks.</summary>
public static class DisplayFormatter
{
    /// <param name="value">What to show.</param>
    /// <param name="mimeTypes">When non-empty, keep only these representations (text/plain is always available).</param>
    public static MimeBundle Format(object? value, IReadOnlyCollection<string>? mimeTypes = null)
    {
        // display("<b>hi</b>", "text/html"): a string with explicit MIME types is that content, as in .NET Interactive.
        if (value is string content && mimeTypes is { Count: > 0 })
            return new MimeBundle(mimeTypes.Select(m => KeyValuePair.Create(m, content)));

        var bundle = (value is null ? null : TypeFormatterConvention.TryFormat(value)) ?? PlainFormatter.Format(value);
        if (mimeTypes is not { Count: > 0 }) return bundle;

        var chosen = new MimeBundle(bundle.Where(p => mimeTypes.Contains(p.Key)));
        if (chosen.Count == 0 && mimeTypes.Contains("text/plain")) chosen["text/plain"] = PlainFormatter.Text(value);
        if (chosen.Count == 0)
            throw new ArgumentException(
                $"display: a {value?.GetType().FullName ?? "null"} has no {string.Join(" or ", mimeTypes)} representation (it has {string.Join(", ", bundle.Keys)})",
                nameof(mimeTypes));
        return chosen;
    }
}
