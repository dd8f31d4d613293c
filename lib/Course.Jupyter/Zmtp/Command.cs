using System.Buffers.Binary;
using System.Text;

namespace Course.Jupyter.Zmtp;

/// <summary>
/// A ZMTP command frame body: a 1-byte name size, the name, then data. READY carries properties
/// (1-byte name size, name, 4-byte big-endian value size, value); ZMTP 3.1 adds SUBSCRIBE, CANCEL, PING, PONG.
/// </summary>
public sealed record Command(string Name, byte[] Data)
{
    public const string ReadyName = "READY";
    public const string ErrorName = "ERROR";
    public const string SubscribeName = "SUBSCRIBE";
    public const string CancelName = "CANCEL";
    public const string PingName = "PING";
    public const string PongName = "PONG";

    public static Command Ready(IEnumerable<KeyValuePair<string, byte[]>> properties)
    {
        using var data = new MemoryStream();
        Span<byte> size = stackalloc byte[4];
        foreach (var (name, value) in properties)
        {
            var nameBytes = Encoding.ASCII.GetBytes(name);
            if (nameBytes.Length is 0 or > 255) throw new ArgumentException($"READY property name '{name}' must be 1 to 255 bytes");
            data.WriteByte((byte)nameBytes.Length);
            data.Write(nameBytes);
            BinaryPrimitives.WriteInt32BigEndian(size, value.Length);
            data.Write(size);
            data.Write(value);
        }
        return new Command(ReadyName, data.ToArray());
    }

    public static Command Error(string reason)
    {
        var bytes = Encoding.ASCII.GetBytes(reason);
        if (bytes.Length > 255) bytes = bytes[..255];
        return new Command(ErrorName, [(byte)bytes.Length, .. bytes]);
    }

    public static Command Subscribe(byte[] topic) => new(SubscribeName, topic);
    public static Command Cancel(byte[] topic) => new(CancelName, topic);

    /// <summary>PING: a 2-byte TTL (tenths of a second) and up to 16 bytes of context the PONG echoes.</summary>
    public static Command Ping(ushort ttlDeciseconds, byte[] context)
    {
        if (context.Length > 16) throw new ArgumentException($"PING context is {context.Length} bytes; at most 16 allowed");
        var data = new byte[2 + context.Length];
        BinaryPrimitives.WriteUInt16BigEndian(data, ttlDeciseconds);
        context.CopyTo(data, 2);
        return new Command(PingName, data);
    }

    public static Command Pong(byte[] context) => new(PongName, context);

    /// <summary>The context a PING carries (after its TTL), for the PONG.</summary>
    public byte[] PingContext => Data.Length > 2 ? Data[2..] : [];

    /// <summary>The reason text of an ERROR command.</summary>
    public string ErrorReason
    {
        get
        {
            if (Data.Length == 0) return "";
            int n = Math.Min(Data[0], Data.Length - 1);
            return Encoding.ASCII.GetString(Data, 1, n);
        }
    }

    public byte[] Encode()
    {
        var name = Encoding.ASCII.GetBytes(Name);
        if (name.Length is 0 or > 255) throw new ArgumentException($"command name '{Name}' must be 1 to 255 bytes");
        var body = new byte[1 + name.Length + Data.Length];
        body[0] = (byte)name.Length;
        name.CopyTo(body, 1);
        Data.CopyTo(body, 1 + name.Length);
        return body;
    }

    public static Command Parse(byte[] body)
    {
        if (body.Length == 0) throw new ZmtpException("empty command frame");
        int n = body[0];
        if (n == 0 || body.Length < 1 + n) throw new ZmtpException($"command frame declares a {n}-byte name but has {body.Length - 1} bytes after the size");
        return new Command(Encoding.ASCII.GetString(body, 1, n), body[(1 + n)..]);
    }

    /// <summary>READY's properties; names compare case-insensitively as RFC 23 says.</summary>
    public IReadOnlyDictionary<string, byte[]> ReadProperties()
    {
        var result = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
        var data = Data.AsSpan();
        int at = 0;
        while (at < data.Length)
        {
            int nameSize = data[at];
            if (nameSize == 0 || at + 1 + nameSize + 4 > data.Length) throw new ZmtpException($"{Name} property at byte {at} is truncated");
            var name = Encoding.ASCII.GetString(data.Slice(at + 1, nameSize));
            at += 1 + nameSize;
            long valueSize = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(at, 4));
            at += 4;
            if (at + valueSize > data.Length) throw new ZmtpException($"{Name} property '{name}' declares {valueSize} bytes but only {data.Length - at} remain");
            result[name] = data.Slice(at, (int)valueSize).ToArray();
            at += (int)valueSize;
        }
        return result;
    }
}
