using System.Globalization;
using System.Text.Json.Nodes;

namespace Course.Jupyter.Messaging;

/// <summary>A Jupyter message header (protocol 5.3).</summary>
public sealed record Header(string MsgId, string Session, string Username, DateTimeOffset Date, string MsgType, string Version = Header.ProtocolVersion)
{
    public const string ProtocolVersion = "5.3";

    public static Header Create(string msgType, string session, string username = "kernel") =>
        new(Guid.NewGuid().ToString(), session, username, DateTimeOffset.UtcNow, msgType);

    /// <summary>ISO 8601 in UTC with microseconds and a "Z", the form Python's clients write and read.</summary>
    public string DateText => Date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public JsonObject ToJson() => new()
    {
        ["msg_id"] = MsgId,
        ["session"] = Session,
        ["username"] = Username,
        ["date"] = DateText,
        ["msg_type"] = MsgType,
        ["version"] = Version,
    };

    /// <summary>Reads a header object; msg_id and msg_type are required, the rest default.</summary>
    public static Header FromJson(JsonObject obj, string where)
    {
        string Text(string name, bool required)
        {
            if (obj.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<string>(out var text)) return text;
            if (required) throw new FormatException($"{where}: '{name}' is missing or not a string");
            return "";
        }

        var dateText = Text("date", false);
        var date = DateTimeOffset.TryParse(dateText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed : DateTimeOffset.UnixEpoch;
        var version = Text("version", false);
        return new Header(Text("msg_id", true), Text("session", false), Text("username", false), date, Text("msg_type", true),
            version.Length > 0 ? version : ProtocolVersion);
    }
}
