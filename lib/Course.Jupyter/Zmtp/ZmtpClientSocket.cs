using System.Net.Sockets;
using System.Threading.Channels;

namespace Course.Jupyter.Zmtp;

/// <summary>
/// A connecting socket with a single peer (no reconnection): what a test client or a tool needs to talk
/// to a kernel. Received messages queue until read; the queue completes when the connection closes.
/// </summary>
public abstract class ZmtpClientSocket : IAsyncDisposable
{
    private readonly Channel<IReadOnlyList<byte[]>> _incoming;
    private Task _run = Task.CompletedTask;
    private int _disposed;

    private protected ZmtpClientSocket(ZmtpConnection connection, ZmtpOptions options)
    {
        Connection = connection;
        Options = options;
        _incoming = Channel.CreateBounded<IReadOnlyList<byte[]>>(new BoundedChannelOptions(options.ReceiveHighWaterMark)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    private protected ZmtpConnection Connection { get; }
    public ZmtpOptions Options { get; }
    public Greeting PeerGreeting => Connection.PeerGreeting!;
    public ZmtpSocketType PeerType => Connection.PeerType;
    public bool IsConnected => !Connection.IsClosed;

    /// <summary>Connects over TCP and completes the greeting and READY exchange.</summary>
    private protected static async Task<ZmtpConnection> OpenAsync(
        ZmtpSocketType type, string host, int port, byte[]? identity, ZmtpOptions options, CancellationToken ct)
    {
        var address = ZmtpServerSocket.ResolveAddress(host);
        var socket = new Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(address, port, ct);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ZmtpException($"{type.WireName()} cannot connect to tcp://{host}:{port}: {e.Message}", e);
        }
        var connection = new ZmtpConnection(socket, type, options);
        try
        {
            await connection.HandshakeAsync(identity ?? [], ct);
        }
        catch
        {
            connection.Close(null);
            throw;
        }
        return connection;
    }

    /// <summary>Starts the read and write loops; called by the factory once the derived object exists.</summary>
    private protected void Start()
    {
        _run = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            await Connection.RunAsync((_, frames, ct) => _incoming.Writer.WriteAsync(frames, ct), OnCommandAsync);
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }

    private protected virtual ValueTask OnCommandAsync(ZmtpConnection connection, Command command) => ValueTask.CompletedTask;

    /// <summary>Queues a multipart message, waiting if the send queue is full.</summary>
    public ValueTask SendAsync(IReadOnlyList<byte[]> frames, CancellationToken ct = default) => Connection.SendAsync(frames, ct);

    /// <summary>The next message; throws <see cref="ZmtpException"/> once the connection has closed and the queue is empty.</summary>
    public async ValueTask<IReadOnlyList<byte[]>> ReceiveAsync(CancellationToken ct = default)
    {
        try
        {
            return await _incoming.Reader.ReadAsync(ct);
        }
        catch (ChannelClosedException)
        {
            throw new ZmtpException($"{Connection.Name}: connection closed");
        }
    }

    /// <summary>The next message, or null if none arrives within the timeout.</summary>
    public async ValueTask<IReadOnlyList<byte[]>?> TryReceiveAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            return await _incoming.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await Connection.CloseAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
