using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Course.Jupyter.Zmtp;

/// <summary>
/// A bound socket that accepts any number of ZMTP peers over TCP: each connection handshakes and runs on
/// its own, so a slow, dead or misbehaving peer only ever loses its own connection.
/// </summary>
public abstract class ZmtpServerSocket : IAsyncDisposable
{
    private readonly ConcurrentDictionary<ZmtpConnection, byte> _connections = new();
    private readonly ConcurrentDictionary<ZmtpConnection, byte> _ready = new();
    private readonly ConcurrentDictionary<Task, byte> _peerTasks = new();
    private readonly CancellationTokenSource _cts = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    private protected ZmtpServerSocket(ZmtpSocketType type, ZmtpOptions? options)
    {
        Type = type;
        Options = options ?? ZmtpOptions.Default;
    }

    public ZmtpSocketType Type { get; }
    public ZmtpOptions Options { get; }

    /// <summary>The bound address; with port 0 this carries the port the system picked.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndPoint
        ?? throw new InvalidOperationException($"{Type.WireName()} socket is not bound: call Bind first"));

    public int Port => LocalEndPoint.Port;

    /// <summary>Peers that completed the handshake and are still connected.</summary>
    public int PeerCount => _ready.Count;

    private protected IEnumerable<ZmtpConnection> ReadyPeers => _ready.Keys;

    /// <summary>Listens on tcp://ip:port; port 0 picks a free port (see <see cref="Port"/>).</summary>
    public void Bind(string ip, int port)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_listener != null) throw new InvalidOperationException($"{Type.WireName()} socket is already bound to {_listener.LocalEndPoint}");
        var address = ResolveAddress(ip);
        var listener = new Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(address, port));
            listener.Listen(64);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new ZmtpException($"cannot bind {Type.WireName()} socket to tcp://{ip}:{port}: {e.Message}", e);
        }
        _listener = listener;
        _acceptLoop = Task.Run(() => AcceptLoopAsync(listener, _cts.Token));
    }

    internal static IPAddress ResolveAddress(string ip)
    {
        if (ip is "*" or "") return IPAddress.Any;
        if (IPAddress.TryParse(ip, out var address)) return address;
        var found = Dns.GetHostAddresses(ip);
        return found.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? found.FirstOrDefault()
            ?? throw new ZmtpException($"cannot resolve host '{ip}'");
    }

    private protected void Log(string text) => Options.Log?.Invoke(text);

    /// <summary>Called once the peer is READY; return false to refuse it.</summary>
    private protected virtual bool OnPeerReady(ZmtpConnection peer) => true;

    private protected abstract ValueTask OnMessageAsync(ZmtpConnection peer, List<byte[]> frames, CancellationToken ct);

    private protected virtual ValueTask OnCommandAsync(ZmtpConnection peer, Command command) => ValueTask.CompletedTask;

    private protected virtual void OnPeerClosed(ZmtpConnection peer) { }

    /// <summary>The identity we announce in READY (ROUTER sends an empty one, like libzmq).</summary>
    private protected virtual byte[] LocalIdentity => [];

    private async Task AcceptLoopAsync(Socket listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(ct);
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException e)
            {
                if (ct.IsCancellationRequested || Volatile.Read(ref _disposed) != 0) return;
                Log($"{Type.WireName()} {listener.LocalEndPoint}: accept failed: {e.Message}");
                continue;
            }
            var task = ServePeerAsync(client, ct);
            _peerTasks.TryAdd(task, 0);
            _ = task.ContinueWith(t => _peerTasks.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServePeerAsync(Socket client, CancellationToken ct)
    {
        await Task.Yield();
        ZmtpConnection connection;
        try
        {
            connection = new ZmtpConnection(client, Type, Options);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            client.Dispose();
            return;
        }
        _connections.TryAdd(connection, 0);
        bool ready = false;
        try
        {
            if (ct.IsCancellationRequested) return;
            await connection.HandshakeAsync(LocalIdentity, ct);
            if (!OnPeerReady(connection)) return;
            ready = true;
            _ready.TryAdd(connection, 0);
            Log($"{connection.Name}: {connection.PeerType.WireName()} peer ready (ZMTP {connection.PeerGreeting!.Major}.{connection.PeerGreeting.Minor})");
            await connection.RunAsync(OnMessageAsync, OnCommandAsync);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e)
        {
            // Handshake failures (garbage, wrong socket type, timeouts, resets) end this peer only.
            Log($"{connection.Name}: handshake failed: {e.Message}");
        }
        finally
        {
            connection.Close(null);
            _ready.TryRemove(connection, out _);
            _connections.TryRemove(connection, out _);
            if (ready) OnPeerClosed(connection);
        }
    }

    /// <summary>Stops listening, flushes each peer's queue (up to the linger time) and closes every connection.</summary>
    public virtual async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _listener?.Dispose();
        await Task.WhenAll(_ready.Keys.Select(c => c.CloseAsync())).ConfigureAwait(false);
        _cts.Cancel();
        foreach (var connection in _connections.Keys) connection.Close(null);
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_peerTasks.Keys).ConfigureAwait(false);
        _cts.Dispose();
        GC.SuppressFinalize(this);
    }
}
