using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using NetMQ;
using NetMQ.Sockets;

namespace Course.Jupyter.Messaging;

/// <summary>
/// The kernel side of the five Jupyter channels, bound from a connection file on NetMQ sockets: ROUTER for shell,
/// control and stdin, XPUB for iopub (so subscriptions are seen), REP echoing the heartbeat. Incoming messages arrive
/// decoded and verified per channel; anything malformed or badly signed is logged and dropped here, so the kernel
/// layer only ever sees <see cref="JupyterMessage"/> records.
/// </summary>
public sealed class KernelTransport : IAsyncDisposable
{
    private readonly SocketLoop _loop;
    private readonly RouterSocket _shell;
    private readonly RouterSocket _control;
    private readonly RouterSocket _stdin;
    private readonly XPublisherSocket _iopub;
    private readonly Channel<JupyterMessage> _shellIn = Channel.CreateUnbounded<JupyterMessage>();
    private readonly Channel<JupyterMessage> _controlIn = Channel.CreateUnbounded<JupyterMessage>();
    private readonly Channel<JupyterMessage> _stdinIn = Channel.CreateUnbounded<JupyterMessage>();
    private readonly Dictionary<string, int> _subscriptions = []; // the loop's thread only
    private readonly int[] _peers = new int[Enum.GetValues<JupyterChannel>().Length];
    private readonly Action<string> _log;
    private int _subscriptionCount;
    private long _rejected;
    private long _heartbeats;
    private int _disposed;

    private KernelTransport(ConnectionInfo requested, Action<string> log, TransportOptions options)
    {
        _log = log;
        Signer = new MessageSigner(requested.Key, requested.SignatureScheme);
        Session = Guid.NewGuid().ToString();
        _loop = new SocketLoop(log);
        try
        {
            _shell = _loop.Add(Router(options), frames => Deliver(JupyterChannel.Shell, frames, _shellIn.Writer));
            _control = _loop.Add(Router(options), frames => Deliver(JupyterChannel.Control, frames, _controlIn.Writer));
            _stdin = _loop.Add(Router(options), frames => Deliver(JupyterChannel.Stdin, frames, _stdinIn.Writer));
            _iopub = _loop.Add(options.Apply(new XPublisherSocket()), OnSubscription);
            // Every client's subscription, not only the first per topic: each one gets the kernel's welcome status.
            _iopub.Options.XPubVerbose = true;
            ResponseSocket heartbeat = null!;
            heartbeat = _loop.Add(options.Apply(new ResponseSocket()), frames =>
            {
                heartbeat.TrySendMultipartBytes(frames);
                Interlocked.Increment(ref _heartbeats);
            });
            Connection = requested with
            {
                ShellPort = Bind(_shell, JupyterChannel.Shell, requested),
                ControlPort = Bind(_control, JupyterChannel.Control, requested),
                StdinPort = Bind(_stdin, JupyterChannel.Stdin, requested),
                IopubPort = Bind(_iopub, JupyterChannel.IOPub, requested),
                HbPort = Bind(heartbeat, JupyterChannel.Heartbeat, requested),
            };
            foreach (var (socket, channel) in new (NetMQSocket, JupyterChannel)[]
                     { (_shell, JupyterChannel.Shell), (_control, JupyterChannel.Control), (_stdin, JupyterChannel.Stdin), (_iopub, JupyterChannel.IOPub), (heartbeat, JupyterChannel.Heartbeat) })
            {
                _loop.Monitor(socket, channel.ToString(), change => Interlocked.Add(ref _peers[(int)channel], change));
            }
            _loop.Start("jupyter-kernel-sockets");
        }
        catch
        {
            _loop.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Binds every channel. Ports that are 0 in <paramref name="info"/> are picked by the system and
    /// reported in <see cref="Connection"/>. Connections and dropped input are logged to <paramref name="log"/> if given.
    /// </summary>
    public static KernelTransport Start(ConnectionInfo info, TextWriter? log = null, TransportOptions? options = null)
    {
        if (info.Transport != "tcp") throw new ArgumentException($"transport '{info.Transport}' is not supported (only \"tcp\")", nameof(info));
        var writer = log is null ? null : TextWriter.Synchronized(log);
        Action<string> sink = writer is null ? _ => { } : text => writer.WriteLine($"[jupyter] {text}");
        return new KernelTransport(info, sink, options ?? TransportOptions.Default);
    }

    /// <summary>The connection as bound: the requested one with the real port numbers.</summary>
    public ConnectionInfo Connection { get; }

    /// <summary>This kernel's session id, used in the headers of messages it creates.</summary>
    public string Session { get; }

    public MessageSigner Signer { get; }

    /// <summary>Messages dropped for a bad signature or a malformed wire form.</summary>
    public long RejectedMessages => Interlocked.Read(ref _rejected);

    public long HeartbeatsEchoed => Interlocked.Read(ref _heartbeats);

    /// <summary>Raised (on the socket thread) when a client subscribes to iopub: a kernel answers with its status.</summary>
    public event Action<byte[]>? IopubSubscribed;

    /// <summary>Subscriptions held on iopub, summed over clients (a topic's count clears when its last subscriber leaves).</summary>
    public int IopubSubscriptions => Volatile.Read(ref _subscriptionCount);

    /// <summary>TCP connections open on a channel: lets a caller wait until a client is there.</summary>
    public int ConnectedPeers(JupyterChannel channel) => Volatile.Read(ref _peers[(int)channel]);

    /// <summary>The verified incoming messages of shell, control or stdin.</summary>
    public ChannelReader<JupyterMessage> Incoming(JupyterChannel channel) => channel switch
    {
        JupyterChannel.Shell => _shellIn.Reader,
        JupyterChannel.Control => _controlIn.Reader,
        JupyterChannel.Stdin => _stdinIn.Reader,
        _ => throw new ArgumentException($"{channel} has no incoming requests (only Shell, Control and Stdin do)", nameof(channel)),
    };

    public ValueTask<JupyterMessage> ReceiveAsync(JupyterChannel channel, CancellationToken ct = default) => Incoming(channel).ReadAsync(ct);

    /// <summary>Sends on shell, control or stdin to the peer named by the message's identities; false (and logged) if it cannot be routed.</summary>
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
        var frames = WireCodec.Encode(message, Signer);
        return _loop.Invoke(() =>
        {
            try
            {
                if (router.TrySendMultipartBytes(frames)) return true;
                _log($"{channel}: {message.MsgType} dropped: the client's queue is full");
            }
            catch (HostUnreachableException)
            {
                _log($"{channel}: no client with identity {Convert.ToHexString(frames[0])}; {message.MsgType} dropped");
            }
            return false;
        }, false);
    }

    /// <summary>
    /// Publishes on iopub under the topic "kernel.&lt;session&gt;.&lt;msg_type&gt;" (or the message's own identities).
    /// Queued in order without waiting; a subscriber whose queue is full misses it, as with any ZeroMQ PUB socket.
    /// </summary>
    public void Publish(JupyterMessage message)
    {
        if (message.Identities.Count == 0)
        {
            message = message with { Identities = [Encoding.UTF8.GetBytes($"kernel.{Session}.{message.MsgType}")] };
        }
        var frames = WireCodec.Encode(message, Signer);
        _loop.Post(() => _iopub.TrySendMultipartBytes(frames));
    }

    public JupyterMessage CreateReply(JupyterMessage parent, string msgType, JsonObject content) => parent.CreateReply(msgType, content, Session);

    public JupyterMessage CreateBroadcast(JupyterMessage? parent, string msgType, JsonObject content) =>
        parent?.CreateBroadcast(msgType, content, Session) ?? JupyterMessage.Create(msgType, content, Session);

    private static RouterSocket Router(TransportOptions options)
    {
        var router = options.Apply(new RouterSocket());
        router.Options.RouterMandatory = true; // an unknown identity throws instead of vanishing, so Send can say so
        router.Options.RouterHandover = true;  // a client reconnecting with its identity takes over from the old connection
        return router;
    }

    private static int Bind(NetMQSocket socket, JupyterChannel channel, ConnectionInfo info)
    {
        var host = info.Ip is "0.0.0.0" or "*" or "" ? "*" : info.Ip;
        int port = info.PortOf(channel);
        try
        {
            if (port == 0) return socket.BindRandomPort($"tcp://{host}");
            socket.Bind($"tcp://{host}:{port}");
            return port;
        }
        catch (Exception e) when (e is NetMQException or System.Net.Sockets.SocketException)
        {
            throw new KernelTransportException($"{channel} channel: cannot bind {socket.GetType().Name} to tcp://{info.Ip}:{port}: {e.Message}", e);
        }
    }

    private void Deliver(JupyterChannel channel, List<byte[]> frames, ChannelWriter<JupyterMessage> writer)
    {
        if (WireCodec.TryDecode(frames, Signer, out var message, out var error))
        {
            writer.TryWrite(message!);
            return;
        }
        Interlocked.Increment(ref _rejected);
        _log($"{channel}: dropped a message: {error}");
    }

    // XPUB hands up each subscription as one frame: 1 (subscribe) or 0 (cancel), then the topic prefix.
    private void OnSubscription(List<byte[]> frames)
    {
        if (frames is not [{ Length: >= 1 } frame]) return;
        var topic = frame[1..];
        var key = Convert.ToHexString(topic);
        if (frame[0] == 1)
        {
            _subscriptions[key] = _subscriptions.GetValueOrDefault(key) + 1;
            Interlocked.Increment(ref _subscriptionCount);
            _log($"IOPub: subscribe '{Encoding.UTF8.GetString(topic)}'");
            try
            {
                IopubSubscribed?.Invoke(topic);
            }
            catch (Exception e)
            {
                // A faulty handler must not cost the subscriber its welcome or the loop its thread.
                _log($"IOPub: Subscribed handler threw {e.GetType().Name}: {e.Message}");
            }
        }
        else if (frame[0] == 0 && _subscriptions.Remove(key, out var count))
        {
            Interlocked.Add(ref _subscriptionCount, -count);
            _log($"IOPub: cancel '{Encoding.UTF8.GetString(topic)}'");
        }
    }

    /// <summary>Flushes queued replies (up to the linger time), closes every socket and ends the incoming queues.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        _loop.Dispose();
        _shellIn.Writer.TryComplete();
        _controlIn.Writer.TryComplete();
        _stdinIn.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
