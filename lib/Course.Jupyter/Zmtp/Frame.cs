using System.Buffers;
using System.Buffers.Binary;

namespace Course.Jupyter.Zmtp;

/// <summary>
/// One ZMTP frame: a flags byte (MORE, LONG, COMMAND), a 1-byte or 8-byte big-endian size, the body.
/// </summary>
public readonly record struct Frame(byte[] Body, bool More, bool IsCommand)
{
    public const byte MoreFlag = 0x01;
    public const byte LongFlag = 0x02;
    public const byte CommandFlag = 0x04;
    public const int MaxHeaderSize = 9;

    /// <summary>Writes the flags and size; bodies over 255 bytes use the long (8-byte) size.</summary>
    public static int WriteHeader(Span<byte> destination, long bodyLength, bool more, bool command)
    {
        byte flags = (byte)((more ? MoreFlag : 0) | (command ? CommandFlag : 0));
        if (bodyLength > byte.MaxValue)
        {
            destination[0] = (byte)(flags | LongFlag);
            BinaryPrimitives.WriteInt64BigEndian(destination[1..], bodyLength);
            return 9;
        }
        destination[0] = flags;
        destination[1] = (byte)bodyLength;
        return 2;
    }

    /// <summary>Header plus body into a buffer writer.</summary>
    public static void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> body, bool more, bool command)
    {
        var span = writer.GetSpan(MaxHeaderSize);
        writer.Advance(WriteHeader(span, body.Length, more, command));
        writer.Write(body);
    }

    /// <summary>A whole multipart message as bytes on the wire (MORE on all but the last frame).</summary>
    public static byte[] EncodeMessage(IReadOnlyList<byte[]> frames)
    {
        var writer = new ArrayBufferWriter<byte>();
        for (int i = 0; i < frames.Count; i++) Write(writer, frames[i], i < frames.Count - 1, command: false);
        return writer.WrittenSpan.ToArray();
    }
}
