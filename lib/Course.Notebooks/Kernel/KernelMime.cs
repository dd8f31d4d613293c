using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Notebooks.Model;

namespace Course.Notebooks.Kernel;

/// <summary>A MIME bundle as Jupyter message content: JSON MIME types as JSON values, the rest as strings.</summary>
internal static class KernelMime
{
    public static JsonObject ToJson(MimeBundle bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, content) in bundle)
        {
            if (MimeBundle.IsJsonMimeType(mime))
            {
                try
                {
                    data[mime] = JsonNode.Parse(content);
                    continue;
                }
                catch (JsonException)
                {
                    // Not valid JSON after all: send the text rather than lose the output.
                }
            }
            data[mime] = content;
        }
        return data;
    }
}
