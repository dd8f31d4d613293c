using System.Collections.Concurrent;
using System.Net.Sockets;
using Course.Jupyter.Zmtp;

namespace Course.Jupyter.Tests;

/// <summary>Collects log lines from the sockets under test.</summary>
public sealed class LogSink
{
    private readonly ConcurrentQueue<string> _lines = new();
    public Action<string> Write => _lines.Enqueue;
    public IReadOnlyList<string> Lines => _lines.ToArray();
    public bool Contains(string text) => _lines.Any(l => l.Contains(text, StringComparison.OrdinalIgnoreCase));
    public override string ToString() => string.Join("\n", _lines);
}

public static class TestSupport
{
    public const string Loopback = "127.0.0.1";

    /// <summary>Every network test gets a bounded time.</summary>
    public static CancellationToken Deadline(int seconds = 10) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    public static ZmtpOptions Options(LogSink log) => new() { Log = log.Write, HandshakeTimeout = TimeSpan.FromSeconds(3), Linger = TimeSpan.FromMilliseconds(500) };

    /// <summary>Polls a condition a bounded number of times (the network side runs on other threads).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 5000)
    {
        for (int waited = 0; waited < timeoutMs; waited += 10)
        {
            if (condition()) return;
            await Task.Delay(10);
        }
        Assert.Fail($"timed out after {timeoutMs} ms waiting for {what}");
    }

    public static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);
    public static string Text(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);
}

/// <summary>
/// A hand-driven TCP peer: writes exactly the bytes a test chooses (a greeting byte by byte, garbage,
/// a truncated frame) and reads frames back with the library's own reader.
/// </summary>
public sealed class RawPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    public FrameReader Reader { get; }

    private RawPeer(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Reader = new FrameReader(_stream, 1 << 20);
    }

    public static async Task<RawPeer> ConnectAsync(int port, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(TestSupport.Loopback, port, ct);
        return new RawPeer(socket);
    }

    public async Task WriteAsync(byte[] bytes, CancellationToken ct) => await _stream.WriteAsync(bytes, ct);

    /// <summary>Writes one byte per send, with a pause, so the other side sees many partial reads.</summary>
    public async Task WriteByteByByteAsync(byte[] bytes, CancellationToken ct)
    {
        foreach (var b in bytes)
        {
            await _stream.WriteAsync(new[] { b }, ct);
            await _stream.FlushAsync(ct);
            await Task.Delay(1, ct);
        }
    }

    public static byte[] CommandFrame(Command command)
    {
        var body = command.Encode();
        var header = new byte[Frame.MaxHeaderSize];
        int n = Frame.WriteHeader(header, body.Length, more: false, command: true);
        return [.. header.AsSpan(0, n), .. body];
    }

    public static byte[] Ready(string socketType, byte[]? identity = null)
    {
        var props = new List<KeyValuePair<string, byte[]>> { new("Socket-Type", TestSupport.Bytes(socketType)) };
        if (identity != null) props.Add(new("Identity", identity));
        return CommandFrame(Command.Ready(props));
    }

    /// <summary>Reads the server's greeting and READY; returns the READY command.</summary>
    public async Task<(Greeting Greeting, Command Ready)> ReadHandshakeAsync(CancellationToken ct)
    {
        var greeting = Greeting.Parse(await Reader.ReadBytesAsync(Greeting.Size, "greeting", ct));
        var frame = await Reader.ReadFrameAsync(ct) ?? throw new InvalidOperationException("closed before READY");
        Assert.True(frame.IsCommand);
        return (greeting, Command.Parse(frame.Body));
    }

    /// <summary>Reads one whole message (skipping commands unless asked); null when the server closed.</summary>
    public async Task<List<byte[]>?> ReadMessageAsync(CancellationToken ct)
    {
        var parts = new List<byte[]>();
        while (true)
        {
            var frame = await Reader.ReadFrameAsync(ct);
            if (frame is null) return null;
            if (frame.Value.IsCommand) continue;
            parts.Add(frame.Value.Body);
            if (!frame.Value.More) return parts;
        }
    }

    /// <summary>True once the server has closed the connection (reads hit end of stream).</summary>
    public async Task<bool> IsClosedByPeerAsync(CancellationToken ct)
    {
        try
        {
            var buffer = new byte[4096];
            while (true)
            {
                if (await _stream.ReadAsync(buffer, ct) == 0) return true;
            }
        }
        catch (IOException) { return true; }
        catch (SocketException) { return true; }
    }

    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A stream that hands out its content one byte per read, like a network delivering in pieces.</summary>
public sealed class TrickleStream(byte[] content) : Stream
{
    private int _position;
    public int Reads { get; private set; }
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => content.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        Reads++;
        if (_position >= content.Length || buffer.Length == 0) return 0;
        buffer[0] = content[_position++];
        return 1;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => ValueTask.FromResult(Read(buffer.Span));
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
