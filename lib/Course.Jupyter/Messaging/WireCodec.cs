using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Course.Jupyter.Messaging;

/// <summary>
/// The Jupyter wire format: [identities..., "&lt;IDS|MSG&gt;", signature, header, parent_header, metadata,
/// content, buffers...]. Decoding checks the signature before parsing any JSON.
/// </summary>
public static class WireCodec
{
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    public static List<byte[]> Encode(JupyterMessage message, MessageSigner signer)
    {
        var header = Json(message.Header.ToJson());
        var parent = message.ParentHeader is null ? EmptyObject : Json(message.ParentHeader.ToJson());
        var metadata = Json(message.Metadata);
        var content = Json(message.Content);
        var frames = new List<byte[]>(message.Identities.Count + 6 + message.Buffers.Count);
        frames.AddRange(message.Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(header, parent, metadata, content)));
        frames.Add(header);
        frames.Add(parent);
        frames.Add(metadata);
        frames.Add(content);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>Decodes and verifies; on failure <paramref name="error"/> says what was wrong and nothing is delivered.</summary>
    public static bool TryDecode(IReadOnlyList<byte[]> frames, MessageSigner signer, out JupyterMessage? message, out string error)
    {
        message = null;
        int delimiter = -1;
        for (int i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) { delimiter = i; break; }
        }
        if (delimiter < 0)
        {
            error = $"no <IDS|MSG> delimiter among {frames.Count} frame(s)";
            return false;
        }
        if (frames.Count - delimiter - 1 < 5)
        {
            error = $"too few frames after <IDS|MSG>: {frames.Count - delimiter - 1} (need signature, header, parent_header, metadata, content)";
            return false;
        }
        var signature = frames[delimiter + 1];
        var header = frames[delimiter + 2];
        var parent = frames[delimiter + 3];
        var metadata = frames[delimiter + 4];
        var content = frames[delimiter + 5];
        if (!signer.Verify(signature, header, parent, metadata, content))
        {
            error = $"bad signature '{Truncate(Encoding.ASCII.GetString(signature))}': message rejected";
            return false;
        }
        try
        {
            var headerObj = Object(header, "header");
            var parentObj = Object(parent, "parent_header");
            message = new JupyterMessage
            {
                Header = Header.FromJson(headerObj, "header"),
                ParentHeader = parentObj.Count == 0 ? null : Header.FromJson(parentObj, "parent_header"),
                Metadata = Object(metadata, "metadata"),
                Content = Object(content, "content"),
                Identities = frames.Take(delimiter).ToArray(),
                Buffers = frames.Skip(delimiter + 6).ToArray(),
            };
            error = "";
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    private static byte[] Json(JsonObject obj) => Encoding.UTF8.GetBytes(obj.ToJsonString());

    private static JsonObject Object(byte[] utf8, string part)
    {
        try
        {
            return JsonNode.Parse(utf8) as JsonObject ?? throw new FormatException($"{part}: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{part}: bad JSON: {e.Message}", e);
        }
    }

    private static string Truncate(string text) => text.Length <= 16 ? text : text[..16] + "...";
}
