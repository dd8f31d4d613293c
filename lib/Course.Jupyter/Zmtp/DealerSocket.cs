namespace Course.Jupyter.Zmtp;

/// <summary>DEALER: sends and receives multipart messages as they are (no envelope), to a ROUTER or REP.</summary>
public sealed class DealerSocket : ZmtpClientSocket
{
    private DealerSocket(ZmtpConnection connection, ZmtpOptions options) : base(connection, options) { }

    /// <summary>Connects to tcp://host:port; <paramref name="identity"/> becomes our routing id at a ROUTER.</summary>
    public static async Task<DealerSocket> ConnectAsync(string host, int port, byte[]? identity = null, ZmtpOptions? options = null, CancellationToken ct = default)
    {
        options ??= ZmtpOptions.Default;
        var socket = new DealerSocket(await OpenAsync(ZmtpSocketType.Dealer, host, port, identity, options, ct), options);
        socket.Start();
        return socket;
    }
}
