using System.Buffers;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Course.Jupyter.Zmtp;

/// <summary>
/// One TCP connection speaking ZMTP 3 with the NULL mechanism: greeting and READY handshake, then a read
/// loop (messages up, commands handled here) and a write loop fed by a bounded queue, so a slow peer
/// fills only its own queue.
/// </summary>
internal sealed class ZmtpConnection
{
    private const int LargeFrame = 32 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly FrameReader _reader;
    private readonly ZmtpOptions _options;
    private readonly Channel<Outgoing> _queue;
    private readonly CancellationTokenSource _cts = new();
    private Task _writeLoop = Task.CompletedTask;
    private int _closed;
    private int _dropWarned;

    public ZmtpConnection(Socket socket, ZmtpSocketType localType, ZmtpOptions options)
    {
        _socket = socket;
        socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _options = options;
        _reader = new FrameReader(_stream, options.MaxMessageBytes);
        _queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(options.SendHighWaterMark)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        LocalType = localType;
        Name = $"{localType.WireName()} {socket.LocalEndPoint} peer {socket.RemoteEndPoint}";
    }

    public ZmtpSocketType LocalType { get; }
    public string Name { get; }
    public Greeting? PeerGreeting { get; private set; }
    public ZmtpSocketType PeerType { get; private set; }

    /// <summary>The Identity property of the peer's READY (empty if it sent none).</summary>
    public byte[] PeerIdentity { get; private set; } = [];

    /// <summary>The identity a ROUTER routes this peer by.</summary>
    public byte[] RoutingId { get; set; } = [];

    /// <summary>Topics this peer subscribed to (used by PUB).</summary>
    public SubscriptionSet Subscriptions { get; } = new();

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public async Task HandshakeAsync(byte[] localIdentity, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, _cts.Token);
        timeout.CancelAfter(_options.HandshakeTimeout);
        var t = timeout.Token;
        try
        {
            // Send the whole greeting at once; read the peer's in pieces (libzmq sends the signature first,
            // then the rest once it has seen ours).
            await _stream.WriteAsync(Greeting.Null.Encode(), t);
            var signature = await _reader.ReadBytesAsync(Greeting.SignatureSize, "the greeting signature", t);
            Greeting.ValidateSignature(signature);
            var major = await _reader.ReadBytesAsync(1, "the greeting version", t);
            if (major[0] < 3) throw new ZmtpException($"peer speaks ZMTP {major[0]}.x; only ZMTP 3.x is supported");
            var rest = await _reader.ReadBytesAsync(Greeting.Size - Greeting.SignatureSize - 1, "the greeting", t);
            PeerGreeting = Greeting.Parse([.. signature, .. major, .. rest]);
            if (PeerGreeting.Mechanism != "NULL")
            {
                await WriteDirectAsync(Command.Error("only the NULL mechanism is supported"), t);
                throw new ZmtpException($"peer asked for security mechanism '{PeerGreeting.Mechanism}'; only NULL is supported");
            }

            var properties = new List<KeyValuePair<string, byte[]>> { new("Socket-Type", Encoding.ASCII.GetBytes(LocalType.WireName())) };
            if (LocalType is ZmtpSocketType.Req or ZmtpSocketType.Dealer or ZmtpSocketType.Router) properties.Add(new("Identity", localIdentity));
            await WriteDirectAsync(Command.Ready(properties), t);

            var frame = await _reader.ReadFrameAsync(t) ?? throw new ZmtpException("peer closed the connection before sending READY");
            if (!frame.IsCommand) throw new ZmtpException("expected a READY command after the greeting, got a message frame");
            var command = Command.Parse(frame.Body);
            if (command.Name == Command.ErrorName) throw new ZmtpException($"peer refused the handshake: ERROR '{command.ErrorReason}'");
            if (command.Name != Command.ReadyName) throw new ZmtpException($"expected READY after the greeting, got {command.Name}");
            var peerProperties = command.ReadProperties();
            if (!peerProperties.TryGetValue("Socket-Type", out var typeBytes)
                || !ZmtpSocketTypes.TryParse(Encoding.ASCII.GetString(typeBytes), out var peerType))
            {
                throw new ZmtpException("READY has no valid Socket-Type property");
            }
            if (!ZmtpSocketTypes.IsCompatible(LocalType, peerType))
            {
                await WriteDirectAsync(Command.Error("Invalid socket type"), t);
                throw new ZmtpException($"a {peerType.WireName()} peer cannot talk to a {LocalType.WireName()} socket");
            }
            PeerType = peerType;
            PeerIdentity = peerProperties.TryGetValue("Identity", out var identity) ? identity : [];
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && !_cts.IsCancellationRequested)
        {
            throw new ZmtpException($"handshake not finished within {_options.HandshakeTimeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Runs the read and write loops until either ends; the connection is then closed.</summary>
    public async Task RunAsync(
        Func<ZmtpConnection, List<byte[]>, CancellationToken, ValueTask> onMessage,
        Func<ZmtpConnection, Command, ValueTask>? onCommand)
    {
        _writeLoop = Task.Run(WriteLoopAsync);
        var readLoop = Task.Run(() => ReadLoopAsync(onMessage, onCommand));
        await Task.WhenAny(readLoop, _writeLoop).ConfigureAwait(false);
        Close(null);
        await Task.WhenAll(readLoop, _writeLoop).ConfigureAwait(false);
    }

    /// <summary>Queues a message; false (dropped) if the peer's queue is full or the connection closed.</summary>
    public bool TrySend(IReadOnlyList<byte[]> frames)
    {
        if (frames.Count == 0) throw new ArgumentException("a ZMTP message needs at least one frame", nameof(frames));
        if (IsClosed) return false;
        if (_queue.Writer.TryWrite(new Outgoing(frames, false))) return true;
        if (Interlocked.Exchange(ref _dropWarned, 1) == 0) Log($"send queue full ({_options.SendHighWaterMark} messages): dropping messages for this peer");
        return false;
    }

    /// <summary>Queues a message, waiting for room in the queue.</summary>
    public async ValueTask SendAsync(IReadOnlyList<byte[]> frames, CancellationToken ct)
    {
        if (frames.Count == 0) throw new ArgumentException("a ZMTP message needs at least one frame", nameof(frames));
        try
        {
            await _queue.Writer.WriteAsync(new Outgoing(frames, false), ct);
        }
        catch (ChannelClosedException)
        {
            throw new ZmtpException($"{Name}: connection is closed");
        }
    }

    public bool TrySendCommand(Command command) => !IsClosed && _queue.Writer.TryWrite(new Outgoing([command.Encode()], true));

    public async ValueTask SendCommandAsync(Command command, CancellationToken ct)
    {
        try
        {
            await _queue.Writer.WriteAsync(new Outgoing([command.Encode()], true), ct);
        }
        catch (ChannelClosedException)
        {
            throw new ZmtpException($"{Name}: connection is closed");
        }
    }

    /// <summary>Lets queued messages flush (up to the linger time), then closes.</summary>
    public async Task CloseAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAny(_writeLoop, Task.Delay(_options.Linger)).ConfigureAwait(false);
        Close(null);
    }

    /// <summary>Closes at once; idempotent.</summary>
    public void Close(string? reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        if (reason != null) Log(reason);
        _queue.Writer.TryComplete();
        _cts.Cancel();
        try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        _stream.Dispose();
    }

    private void Log(string text) => _options.Log?.Invoke($"{Name}: {text}");

    private async Task ReadLoopAsync(
        Func<ZmtpConnection, List<byte[]>, CancellationToken, ValueTask> onMessage,
        Func<ZmtpConnection, Command, ValueTask>? onCommand)
    {
        var ct = _cts.Token;
        var parts = new List<byte[]>();
        long total = 0;
        try
        {
            while (true)
            {
                var next = await _reader.ReadFrameAsync(ct);
                if (next is null)
                {
                    Close(parts.Count > 0 ? "peer closed the connection in the middle of a message" : null);
                    return;
                }
                var frame = next.Value;
                if (frame.IsCommand)
                {
                    if (parts.Count > 0) throw new ZmtpException("command frame inside a multipart message");
                    if (frame.More) throw new ZmtpException("command frame with the MORE flag");
                    await HandleCommandAsync(Command.Parse(frame.Body), onCommand);
                    continue;
                }
                parts.Add(frame.Body);
                total += frame.Body.Length;
                if (parts.Count > _options.MaxFramesPerMessage) throw new ZmtpException($"message has more than {_options.MaxFramesPerMessage} frames");
                if (total > _options.MaxMessageBytes) throw new ZmtpException($"message exceeds {_options.MaxMessageBytes} bytes");
                if (!frame.More)
                {
                    var message = parts;
                    parts = new List<byte[]>();
                    total = 0;
                    await onMessage(this, message, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (ObjectDisposedException) when (IsClosed) { }
        catch (ZmtpException e) { Close($"protocol error, closing: {e.Message}"); }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Close($"connection lost: {e.Message}");
        }
        catch (Exception e)
        {
            // A failing handler must not take the socket (or the kernel) down with it.
            Close($"closing after {e.GetType().Name} in a message handler: {e.Message}");
        }
    }

    private async ValueTask HandleCommandAsync(Command command, Func<ZmtpConnection, Command, ValueTask>? onCommand)
    {
        switch (command.Name)
        {
            case Command.PingName:
                TrySendCommand(Command.Pong(command.PingContext));
                break;
            case Command.PongName:
                break;
            case Command.ErrorName:
                throw new ZmtpException($"peer sent ERROR '{command.ErrorReason}'");
            case Command.ReadyName:
                throw new ZmtpException("READY after the handshake");
            default:
                if (onCommand != null) await onCommand(this, command);
                else Log($"ignored command {command.Name}");
                break;
        }
    }

    private async Task WriteLoopAsync()
    {
        var ct = _cts.Token;
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(ct))
            {
                while (_queue.Reader.TryRead(out var item))
                {
                    for (int i = 0; i < item.Frames.Count; i++)
                    {
                        var body = item.Frames[i];
                        bool more = i < item.Frames.Count - 1;
                        if (body.Length >= LargeFrame)
                        {
                            // Big bodies go straight to the socket instead of being copied into the batch.
                            var header = buffer.GetSpan(Frame.MaxHeaderSize);
                            buffer.Advance(Frame.WriteHeader(header, body.Length, more, item.IsCommand));
                            await FlushAsync(buffer, ct);
                            await _stream.WriteAsync(body, ct);
                        }
                        else
                        {
                            Frame.Write(buffer, body, more, item.IsCommand);
                        }
                    }
                    if (buffer.WrittenCount >= LargeFrame) await FlushAsync(buffer, ct);
                }
                await FlushAsync(buffer, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (ObjectDisposedException) when (IsClosed) { }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Close($"send failed, closing: {e.Message}");
        }
    }

    private async ValueTask FlushAsync(ArrayBufferWriter<byte> buffer, CancellationToken ct)
    {
        if (buffer.WrittenCount == 0) return;
        await _stream.WriteAsync(buffer.WrittenMemory, ct);
        buffer.ResetWrittenCount();
    }

    private async ValueTask WriteDirectAsync(Command command, CancellationToken ct)
    {
        var body = command.Encode();
        var buffer = new ArrayBufferWriter<byte>(body.Length + Frame.MaxHeaderSize);
        Frame.Write(buffer, body, more: false, command: true);
        await _stream.WriteAsync(buffer.WrittenMemory, ct);
    }

    private readonly record struct Outgoing(IReadOnlyList<byte[]> Frames, bool IsCommand);
}
