using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Shared;

namespace Course.Jupyter.Messaging;

/// <summary>
/// A Jupyter connection file: where to bind the five channels and the key that signs messages.
/// Port 0 means "pick a free port"; <see cref="KernelTransport"/> reports the ports it got.
/// </summary>
public sealed record ConnectionInfo
{
    public string Ip { get; init; } = "127.0.0.1";
    public string Transport { get; init; } = "tcp";
    public int ShellPort { get; init; }
    public int IopubPort { get; init; }
    public int StdinPort { get; init; }
    public int ControlPort { get; init; }
    public int HbPort { get; init; }
    public string Key { get; init; } = "";
    public string SignatureScheme { get; init; } = MessageSigner.Scheme;
    public string KernelName { get; init; } = "";

    /// <summary>Loopback, every port 0 and a fresh random key: what tests want.</summary>
    public static ConnectionInfo ForLoopback(string? key = null) => new() { Key = key ?? Guid.NewGuid().ToString() };

    public static ConnectionInfo Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"cannot read connection file {path}: {e.Message}", e);
        }
        return Parse(text, path);
    }

    public static ConnectionInfo Parse(string json, string source = "connection file")
    {
        JsonObject obj;
        try
        {
            obj = JsonNode.Parse(json) as JsonObject ?? throw new FormatException($"{source}: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON: {e.Message}", e);
        }
        var info = new ConnectionInfo
        {
            Ip = String(obj, "ip", source, "127.0.0.1"),
            Transport = String(obj, "transport", source, "tcp"),
            ShellPort = Port(obj, "shell_port", source),
            IopubPort = Port(obj, "iopub_port", source),
            StdinPort = Port(obj, "stdin_port", source),
            ControlPort = Port(obj, "control_port", source),
            HbPort = Port(obj, "hb_port", source),
            Key = String(obj, "key", source, ""),
            SignatureScheme = String(obj, "signature_scheme", source, MessageSigner.Scheme),
            KernelName = String(obj, "kernel_name", source, ""),
        };
        if (info.Transport != "tcp") throw new FormatException($"{source}: transport '{info.Transport}' is not supported (only \"tcp\")");
        if (info.Key.Length > 0 && info.SignatureScheme != MessageSigner.Scheme)
        {
            throw new FormatException($"{source}: signature_scheme '{info.SignatureScheme}' is not supported (only \"{MessageSigner.Scheme}\")");
        }
        return info;
    }

    public string ToJson() => new JsonObject
    {
        ["ip"] = Ip,
        ["transport"] = Transport,
        ["shell_port"] = ShellPort,
        ["iopub_port"] = IopubPort,
        ["stdin_port"] = StdinPort,
        ["control_port"] = ControlPort,
        ["hb_port"] = HbPort,
        ["key"] = Key,
        ["signature_scheme"] = SignatureScheme,
        ["kernel_name"] = KernelName,
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Writes the file through a temporary file and a move, so no reader sees half of it.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    public int PortOf(JupyterChannel channel) => channel switch
    {
        JupyterChannel.Shell => ShellPort,
        JupyterChannel.IOPub => IopubPort,
        JupyterChannel.Stdin => StdinPort,
        JupyterChannel.Control => ControlPort,
        JupyterChannel.Heartbeat => HbPort,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "unknown channel"),
    };

    private static string String(JsonObject obj, string name, string source, string fallback)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null) return fallback;
        if (node is JsonValue value && value.TryGetValue<string>(out var text)) return text;
        throw new FormatException($"{source}: '{name}' must be a string, got {node.ToJsonString()}");
    }

    private static int Port(JsonObject obj, string name, string source)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null) throw new FormatException($"{source}: '{name}' is missing");
        if (node is JsonValue value && value.TryGetValue<int>(out var port) && port is >= 0 and <= 65535) return port;
        throw new FormatException($"{source}: '{name}' must be a port number 0-65535, got {node.ToJsonString()}");
    }
}
