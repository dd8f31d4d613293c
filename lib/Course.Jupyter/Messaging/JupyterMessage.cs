using System.Text.Json.Nodes;

namespace Course.Jupyter.Messaging;

/// <summary>
/// A Jupyter message: routing identities, header, parent header, metadata, content and binary buffers.
/// Replies keep the request's identities (so the ROUTER sends them back to the asker) and name the
/// request as their parent.
/// </summary>
public sealed record JupyterMessage
{
    public required Header Header { get; init; }
    public Header? ParentHeader { get; init; }
    public JsonObject Metadata { get; init; } = new();
    public JsonObject Content { get; init; } = new();
    public IReadOnlyList<byte[]> Identities { get; init; } = [];
    public IReadOnlyList<byte[]> Buffers { get; init; } = [];

    public string MsgType => Header.MsgType;

    public static JupyterMessage Create(string msgType, JsonObject content, string session, string username = "kernel") =>
        new() { Header = Header.Create(msgType, session, username), Content = content };

    /// <summary>A reply to this message: same identities, this header as parent, a new header in our session.</summary>
    public JupyterMessage CreateReply(string msgType, JsonObject content, string session, string username = "kernel") =>
        new()
        {
            Header = Header.Create(msgType, session, username),
            ParentHeader = Header,
            Content = content,
            Identities = Identities,
        };

    /// <summary>An iopub message caused by this one (status, stream, display_data ...): parent set, no identities.</summary>
    public JupyterMessage CreateBroadcast(string msgType, JsonObject content, string session, string username = "kernel") =>
        new()
        {
            Header = Header.Create(msgType, session, username),
            ParentHeader = Header,
            Content = content,
        };
}
