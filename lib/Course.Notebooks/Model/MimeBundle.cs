using System.Text.Json;
using System.Text.Json.Nodes;

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

    /// <summary>
    /// The bundle as nbformat and the Jupyter protocol carry it: JSON MIME types as JSON values (their text when it is
    /// not valid JSON, rather than lose the output), the rest as strings. In a notebook file
    /// (<paramref name="textAsLines"/>) text is stored as lines, diff-friendly; base64 payloads stay one string.
    /// </summary>
    public JsonObject ToJson(bool textAsLines)
    {
        var data = new JsonObject();
        foreach (var (mime, content) in this)
        {
            if (IsJsonMimeType(mime))
            {
                try
                {
                    data[mime] = JsonNode.Parse(content);
                    continue;
                }
                catch (JsonException)
                {
                    // Falls through to text: nbformat allows any value under a JSON MIME type.
                }
            }
            data[mime] = textAsLines && (mime.StartsWith("text/", StringComparison.Ordinal) || mime == "image/svg+xml")
                ? NotebookFile.SplitLines(content)
                : JsonValue.Create(content);
        }
        return data;
    }
}
