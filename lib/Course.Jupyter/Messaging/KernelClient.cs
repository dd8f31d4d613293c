using System.Text.Json.Nodes;
using System.Threading.Channels;
using NetMQ;
using NetMQ.Sockets;

namespace Course.Jupyter.Messaging;

/// <summary>
/// The client side of the five channels (DEALER for shell, control and stdin, SUB for iopub, REQ for the
/// heartbeat), connected as a frontend would: for tests of a kernel in the same process.
/// </summary>
public sealed class KernelClient : IAsyncDisposable
{
    private readonly SocketLoop _loop;
    private readonly Dictionary<JupyterChannel, (NetMQSocket Socket, Channel<List<byte[]>> Incoming)> _channels = [];
    private readonly SemaphoreSlim _oneHeartbeat = new(1, 1);
    private int _disposed;

    /// <summary>
    /// Connects all five channels and subscribes to every iopub topic. Shell and stdin share the session as their
    /// identity, as jupyter_client does, so a kernel can route input_request to the asker. ZeroMQ connects in the
    /// background: sends made before the connection is up are queued. A <paramref name="session"/> of an earlier
    /// client reconnects as that client.
    /// </summary>
    public KernelClient(ConnectionInfo info, TransportOptions? options = null, string? session = null)
    {
        options ??= TransportOptions.Default;
        Connection = info;
        Session = session ?? Guid.NewGuid().ToString();
        Signer = new MessageSigner(info.Key, info.SignatureScheme);
        var identity = System.Text.Encoding.ASCII.GetBytes(Session);
        var host = info.Ip is "0.0.0.0" or "*" or "" ? "127.0.0.1" : info.Ip;
        _loop = new SocketLoop(_ => { });
        try
        {
            var iopub = new SubscriberSocket();
            iopub.SubscribeToAnyTopic();
            foreach (var (channel, socket) in new (JupyterChannel, NetMQSocket)[]
                     {
                         (JupyterChannel.Shell, new DealerSocket { Options = { Identity = identity } }),
                         (JupyterChannel.Control, new DealerSocket()),
                         (JupyterChannel.Stdin, new DealerSocket { Options = { Identity = identity } }),
                         (JupyterChannel.IOPub, iopub),
                         (JupyterChannel.Heartbeat, new RequestSocket()),
                     })
            {
                var incoming = Channel.CreateUnbounded<List<byte[]>>();
                _channels[channel] = (_loop.Add(options.Apply(socket), frames => incoming.Writer.TryWrite(frames)), incoming);
                socket.Connect($"tcp://{host}:{info.PortOf(channel)}");
            }
            _loop.Start("jupyter-client-sockets");
        }
        catch
        {
            _loop.Dispose();
            throw;
        }
    }

    public ConnectionInfo Connection { get; }
    public string Session { get; }
    public MessageSigner Signer { get; }

    public JupyterMessage CreateRequest(string msgType, JsonObject? content = null) =>
        JupyterMessage.Create(msgType, content ?? new JsonObject(), Session, "client");

    public ValueTask SendAsync(JupyterChannel channel, JupyterMessage message, CancellationToken ct = default) =>
        SendFramesAsync(channel, WireCodec.Encode(message, Signer), ct);

    /// <summary>Sends raw frames (a forged or malformed message, for tests of the kernel's checks).</summary>
    public ValueTask SendFramesAsync(JupyterChannel channel, IReadOnlyList<byte[]> frames, CancellationToken ct = default)
    {
        var socket = _channels[channel].Socket;
        if (!_loop.Invoke(() => socket.TrySendMultipartBytes(frames), false))
            throw new IOException($"{channel}: the message could not be queued (queue full or client disposed)");
        return ValueTask.CompletedTask;
    }

    /// <summary>The next message on a channel, verified and decoded; a bad one throws with the reason.</summary>
    public async Task<JupyterMessage> ReceiveAsync(JupyterChannel channel, CancellationToken ct = default)
    {
        var frames = await ReceiveFramesAsync(channel, ct);
        if (!WireCodec.TryDecode(frames, Signer, out var message, out var error)) throw new FormatException($"{channel}: {error}");
        return message!;
    }

    /// <summary>The next multipart message on a channel as it arrived.</summary>
    public async Task<List<byte[]>> ReceiveFramesAsync(JupyterChannel channel, CancellationToken ct = default)
    {
        try
        {
            return await _channels[channel].Incoming.Reader.ReadAsync(ct);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(KernelClient), $"{channel}: the client was disposed");
        }
    }

    /// <summary>One heartbeat round trip: the kernel echoes the payload.</summary>
    public async Task<byte[]> PingAsync(byte[] payload, CancellationToken ct = default)
    {
        await _oneHeartbeat.WaitAsync(ct);
        try
        {
            await SendFramesAsync(JupyterChannel.Heartbeat, [payload], ct);
            var reply = await ReceiveFramesAsync(JupyterChannel.Heartbeat, ct);
            return reply.Count > 0 ? reply[0] : [];
        }
        finally
        {
            _oneHeartbeat.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        _loop.Dispose();
        foreach (var (_, incoming) in _channels.Values) incoming.Writer.TryComplete();
        _oneHeartbeat.Dispose();
        return ValueTask.CompletedTask;
    }
}
