using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Course.Jupyter.Zmtp;

namespace Course.Jupyter.Messaging;

/// <summary>
/// The kernel side of the five Jupyter channels, bound from a connection file: ROUTER for shell, control
/// and stdin, PUB for iopub, REP echoing the heartbeat. Incoming messages arrive decoded and verified per
/// channel; anything malformed or badly signed is logged and dropped here, so the kernel layer only ever
/// sees <see cref="JupyterMessage"/> records.
/// </summary>
public sealed class KernelTransport : IAsyncDisposable
{
    private readonly RouterSocket _shell;
    private readonly RouterSocket _control;
    private readonly RouterSocket _stdin;
    private readonly PubSocket _iopub;
    private readonly RepSocket _heartbeat;
    private readonly Channel<JupyterMessage> _shellIn;
    private readonly Channel<JupyterMessage> _controlIn;
    private readonly Channel<JupyterMessage> _stdinIn;
    private readonly Task[] _pumps;
    private readonly Action<string> _log;
    private long _rejected;
    private int _disposed;

    private KernelTransport(ConnectionInfo requested, Action<string> log, ZmtpOptions options)
    {
        _log = log;
        Signer = new MessageSigner(requested.Key, requested.SignatureScheme);
        Session = Guid.NewGuid().ToString();
        _shell = new RouterSocket(options);
        _control = new RouterSocket(options);
        _stdin = new RouterSocket(options);
        _iopub = new PubSocket(options);
        _heartbeat = new RepSocket(null, options);
        var all = new ZmtpServerSocket[] { _shell, _control, _stdin, _iopub, _heartbeat };
        try
        {
            Bind(_shell, JupyterChannel.Shell, requested);
            Bind(_control, JupyterChannel.Control, requested);
            Bind(_stdin, JupyterChannel.Stdin, requested);
            Bind(_iopub, JupyterChannel.IOPub, requested);
            Bind(_heartbeat, JupyterChannel.Heartbeat, requested);
        }
        catch
        {
            foreach (var socket in all) socket.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        _iopub.Subscribed += topic => IopubSubscribed?.Invoke(topic);
        Connection = requested with
        {
            ShellPort = _shell.Port,
            ControlPort = _control.Port,
            StdinPort = _stdin.Port,
            IopubPort = _iopub.Port,
            HbPort = _heartbeat.Port,
        };
        _shellIn = NewQueue(options);
        _controlIn = NewQueue(options);
        _stdinIn = NewQueue(options);
        _pumps =
        [
            Task.Run(() => PumpAsync(_shell, JupyterChannel.Shell, _shellIn.Writer)),
            Task.Run(() => PumpAsync(_control, JupyterChannel.Control, _controlIn.Writer)),
            Task.Run(() => PumpAsync(_stdin, JupyterChannel.Stdin, _stdinIn.Writer)),
        ];
    }

    /// <summary>
    /// Binds every channel. Ports that are 0 in <paramref name="info"/> are picked by the system and
    /// reported in <see cref="Connection"/>. Messages are logged to <paramref name="log"/> if given.
    /// </summary>
    public static KernelTransport Start(ConnectionInfo info, TextWriter? log = null, ZmtpOptions? options = null)
    {
        if (info.Transport != "tcp") throw new ArgumentException($"transport '{info.Transport}' is not supported (only \"tcp\")", nameof(info));
        var writer = log is null ? null : TextWriter.Synchronized(log);
        Action<string> sink = writer is null ? _ => { } : text => writer.WriteLine($"[jupyter] {text}");
        options ??= ZmtpOptions.Default;
        if (options.Log is null) options = options with { Log = sink };
        return new KernelTransport(info, sink, options);
    }

    /// <summary>The connection as bound: the requested one with the real port numbers.</summary>
    public ConnectionInfo Connection { get; }

    /// <summary>This kernel's session id, used in the headers of messages it creates.</summary>
    public string Session { get; }

    public MessageSigner Signer { get; }

    /// <summary>Messages dropped for a bad signature or a malformed wire form.</summary>
    public long RejectedMessages => Interlocked.Read(ref _rejected);

    public long HeartbeatsEchoed => _heartbeat.RequestCount;

    /// <summary>Raised when a client subscribes to iopub (a kernel may answer with a status or welcome message).</summary>
    public event Action<byte[]>? IopubSubscribed;

    /// <summary>Subscriptions currently held on iopub, summed over clients.</summary>
    public int IopubSubscriptions => _iopub.SubscriptionCount;

    /// <summary>Clients connected to a channel (handshake done): lets a caller wait until a client is routable.</summary>
    public int ConnectedPeers(JupyterChannel channel) => channel switch
    {
        JupyterChannel.Shell => _shell.PeerCount,
        JupyterChannel.Control => _control.PeerCount,
        JupyterChannel.Stdin => _stdin.PeerCount,
        JupyterChannel.IOPub => _iopub.PeerCount,
        JupyterChannel.Heartbeat => _heartbeat.PeerCount,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "unknown channel"),
    };

    /// <summary>The verified incoming messages of shell, control or stdin.</summary>
    public ChannelReader<JupyterMessage> Incoming(JupyterChannel channel) => channel switch
    {
        JupyterChannel.Shell => _shellIn.Reader,
        JupyterChannel.Control => _controlIn.Reader,
        JupyterChannel.Stdin => _stdinIn.Reader,
        _ => throw new ArgumentException($"{channel} has no incoming requests (only Shell, Control and Stdin do)", nameof(channel)),
    };

    public ValueTask<JupyterMessage> ReceiveAsync(JupyterChannel channel, CancellationToken ct = default) => Incoming(channel).ReadAsync(ct);

    /// <summary>Sends on shell, control or stdin to the peer named by the message's identities; false if it cannot be routed.</summary>
    public bool Send(JupyterChannel channel, JupyterMessage message)
    {
        var router = channel switch
        {
            JupyterChannel.Shell => _shell,
            JupyterChannel.Control => _control,
            JupyterChannel.Stdin => _stdin,
            _ => throw new ArgumentException($"use Publish for {channel}; Send is for Shell, Control and Stdin", nameof(channel)),
        };
        if (message.Identities.Count == 0)
        {
            _log($"{channel}: {message.MsgType} has no identities, so it cannot be routed; dropped");
            return false;
        }
        return router.TrySend(WireCodec.Encode(message, Signer));
    }

    /// <summary>Publishes on iopub under the topic "kernel.&lt;session&gt;.&lt;msg_type&gt;" (or the message's own identities); returns the number of subscribers reached.</summary>
    public int Publish(JupyterMessage message)
    {
        if (message.Identities.Count == 0)
        {
            message = message with { Identities = [Encoding.UTF8.GetBytes($"kernel.{Session}.{message.MsgType}")] };
        }
        return _iopub.Publish(WireCodec.Encode(message, Signer));
    }

    public JupyterMessage CreateReply(JupyterMessage parent, string msgType, JsonObject content) => parent.CreateReply(msgType, content, Session);

    public JupyterMessage CreateBroadcast(JupyterMessage? parent, string msgType, JsonObject content) =>
        parent?.CreateBroadcast(msgType, content, Session) ?? JupyterMessage.Create(msgType, content, Session);

    private static void Bind(ZmtpServerSocket socket, JupyterChannel channel, ConnectionInfo info)
    {
        try
        {
            socket.Bind(info.Ip, info.PortOf(channel));
        }
        catch (Exception e) when (e is ZmtpException or System.Net.Sockets.SocketException)
        {
            throw new ZmtpException($"{channel} channel: {e.Message}", e);
        }
    }

    private static Channel<JupyterMessage> NewQueue(ZmtpOptions options) =>
        Channel.CreateBounded<JupyterMessage>(new BoundedChannelOptions(options.ReceiveHighWaterMark) { FullMode = BoundedChannelFullMode.Wait });

    private async Task PumpAsync(RouterSocket router, JupyterChannel channel, ChannelWriter<JupyterMessage> writer)
    {
        try
        {
            await foreach (var frames in router.Incoming.ReadAllAsync())
            {
                if (WireCodec.TryDecode(frames, Signer, out var message, out var error))
                {
                    await writer.WriteAsync(message!);
                }
                else
                {
                    Interlocked.Increment(ref _rejected);
                    _log($"{channel}: dropped a message: {error}");
                }
            }
        }
        catch (ChannelClosedException) { }
        finally
        {
            writer.TryComplete();
        }
    }

    /// <summary>Flushes queued replies (up to the linger time), closes every peer and listener, and ends the incoming queues.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await Task.WhenAll(
            _shell.DisposeAsync().AsTask(),
            _control.DisposeAsync().AsTask(),
            _stdin.DisposeAsync().AsTask(),
            _iopub.DisposeAsync().AsTask(),
            _heartbeat.DisposeAsync().AsTask()).ConfigureAwait(false);
        // Nobody may be reading the queues any more; stop the pumps rather than wait on a full queue.
        _shellIn.Writer.TryComplete();
        _controlIn.Writer.TryComplete();
        _stdinIn.Writer.TryComplete();
        await Task.WhenAll(_pumps).ConfigureAwait(false);
    }
}
