namespace Course.Jupyter.Zmtp;

/// <summary>REQ: one request at a time, sent behind an empty delimiter frame; the reply's delimiter is stripped.</summary>
public sealed class ReqSocket : ZmtpClientSocket
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    private ReqSocket(ZmtpConnection connection, ZmtpOptions options) : base(connection, options) { }

    public static async Task<ReqSocket> ConnectAsync(string host, int port, ZmtpOptions? options = null, CancellationToken ct = default)
    {
        options ??= ZmtpOptions.Default;
        var socket = new ReqSocket(await OpenAsync(ZmtpSocketType.Req, host, port, null, options, ct), options);
        socket.Start();
        return socket;
    }

    /// <summary>Sends a request and waits for its reply (a reply without the delimiter is discarded, as in libzmq).</summary>
    public async Task<IReadOnlyList<byte[]>> RequestAsync(IReadOnlyList<byte[]> body, CancellationToken ct = default)
    {
        await _oneAtATime.WaitAsync(ct);
        try
        {
            await SendAsync([[], .. body], ct);
            while (true)
            {
                var reply = await ReceiveAsync(ct);
                if (reply.Count >= 1 && reply[0].Length == 0) return reply.Skip(1).ToArray();
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }
}
