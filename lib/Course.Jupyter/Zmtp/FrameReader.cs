using System.Buffers.Binary;

namespace Course.Jupyter.Zmtp;

/// <summary>
/// Reads greeting bytes and frames from a stream however the bytes arrive: one read may return a single
/// byte, part of a frame or several frames. A declared size over the limit is refused before allocating.
/// </summary>
public sealed class FrameReader
{
    private const int InitialLargeBody = 1 << 20;
    private readonly Stream _stream;
    private readonly long _maxFrameBytes;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;

    public FrameReader(Stream stream, long maxFrameBytes, int bufferSize = 64 * 1024)
    {
        if (bufferSize < Greeting.Size) throw new ArgumentOutOfRangeException(nameof(bufferSize), $"buffer must hold a greeting ({Greeting.Size} bytes)");
        _stream = stream;
        _maxFrameBytes = maxFrameBytes;
        _buffer = new byte[bufferSize];
    }

    /// <summary>Total bytes received from the stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Exactly <paramref name="count"/> bytes (at most the buffer size), waiting for as many reads as it takes.</summary>
    public async ValueTask<byte[]> ReadBytesAsync(int count, string what, CancellationToken ct)
    {
        if (count > _buffer.Length) throw new ArgumentOutOfRangeException(nameof(count), $"{count} bytes exceed the reader's buffer of {_buffer.Length}");
        await FillAsync(count, eofAllowed: false, what, ct);
        var result = _buffer.AsSpan(_start, count).ToArray();
        _start += count;
        return result;
    }

    /// <summary>The next frame, or null when the peer closed the connection cleanly between frames.</summary>
    public async ValueTask<Frame?> ReadFrameAsync(CancellationToken ct)
    {
        if (!await FillAsync(2, eofAllowed: true, "a frame header", ct)) return null;
        byte flags = _buffer[_start];
        if ((flags & 0xF8) != 0) throw new ZmtpException($"invalid frame flags 0x{flags:X2}: reserved bits are set, so this is not a ZMTP 3 frame");
        long size;
        if ((flags & Frame.LongFlag) != 0)
        {
            await FillAsync(9, eofAllowed: false, "a long frame header", ct);
            size = BinaryPrimitives.ReadInt64BigEndian(_buffer.AsSpan(_start + 1, 8));
            _start += 9;
            if (size < 0) throw new ZmtpException("frame declares a size of 2^63 bytes or more");
        }
        else
        {
            size = _buffer[_start + 1];
            _start += 2;
        }
        if (size > _maxFrameBytes || size > Array.MaxLength) throw new ZmtpException($"frame declares {size} bytes, over the limit of {_maxFrameBytes} bytes");

        // A declared size is only a claim: past 1 MiB the body grows as bytes actually arrive.
        var body = new byte[Math.Min(size, InitialLargeBody)];
        int buffered = (int)Math.Min(_end - _start, body.Length);
        _buffer.AsSpan(_start, buffered).CopyTo(body);
        _start += buffered;
        // The rest of a long body goes straight into its array rather than through the buffer.
        for (int filled = buffered; filled < size;)
        {
            if (filled == body.Length) Array.Resize(ref body, (int)Math.Min(size, 2L * body.Length));
            int n = await _stream.ReadAsync(body.AsMemory(filled), ct);
            if (n == 0) throw new ZmtpException($"connection closed in the middle of a frame: got {filled} of {size} bytes");
            filled += n;
            BytesRead += n;
        }
        return new Frame(body, (flags & Frame.MoreFlag) != 0, (flags & Frame.CommandFlag) != 0);
    }

    private async ValueTask<bool> FillAsync(int count, bool eofAllowed, string what, CancellationToken ct)
    {
        if (_end - _start >= count) return true;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        while (_end < count)
        {
            int n = await _stream.ReadAsync(_buffer.AsMemory(_end), ct);
            if (n == 0)
            {
                if (eofAllowed && _end == 0) return false;
                throw new ZmtpException($"connection closed while reading {what}: got {_end} of {count} bytes");
            }
            _end += n;
            BytesRead += n;
        }
        return true;
    }
}
