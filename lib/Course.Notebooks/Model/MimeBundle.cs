namespace Course.Notebooks.Model;

/// <summary>
/// MIME type to content, in insertion order. JSON MIME types (application/json, *+json) hold their JSON text;
/// the notebook writer stores them as JSON, as nbformat requires. Binary types (image/png) hold base64.
/// </summary>
public sealed class MimeBundle : OrderedDictionary<string, string>
{
    public MimeBundle() : base(StringComparer.Ordinal) { }

    public MimeBundle(IEnumerable<KeyValuePair<string, string>> entries) : this()
    {
        foreach (var (mime, content) in entries) this[mime] = content;
    }

    public static bool IsJsonMimeType(string mimeType) =>
        mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal);
}
