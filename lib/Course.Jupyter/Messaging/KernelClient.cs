using System.Text.Json.Nodes;
using Course.Jupyter.Zmtp;

namespace Course.Jupyter.Messaging;

/// <summary>
/// The client side of the five channels (DEALER for shell, control and stdin, SUB for iopub, REQ for the
/// heartbeat), as a frontend would connect: for tests of a kernel in the same process.
/// </summary>
public sealed class KernelClient : IAsyncDisposable
{
    private KernelClient(ConnectionInfo info, string session, DealerSocket shell, DealerSocket control, DealerSocket stdin, SubSocket iopub, ReqSocket heartbeat)
    {
        Connection = info;
        Session = session;
        Signer = new MessageSigner(info.Key, info.SignatureScheme);
        Shell = shell;
        Control = control;
        Stdin = stdin;
        IOPub = iopub;
        Heartbeat = heartbeat;
    }

    public ConnectionInfo Connection { get; }
    public string Session { get; }
    public MessageSigner Signer { get; }
    public DealerSocket Shell { get; }
    public DealerSocket Control { get; }
    public DealerSocket Stdin { get; }
    public SubSocket IOPub { get; }
    public ReqSocket Heartbeat { get; }

    /// <summary>
    /// Connects all five channels and subscribes to every iopub topic. Shell and stdin share the session
    /// as their identity, as jupyter_client does, so a kernel can route input_request to the asker.
    /// </summary>
    public static async Task<KernelClient> ConnectAsync(ConnectionInfo info, ZmtpOptions? options = null, CancellationToken ct = default)
    {
        var session = Guid.NewGuid().ToString();
        var identity = System.Text.Encoding.ASCII.GetBytes(session);
        var host = info.Ip is "0.0.0.0" or "*" ? "127.0.0.1" : info.Ip;
        var opened = new List<ZmtpClientSocket>();
        try
        {
            var shell = await DealerSocket.ConnectAsync(host, info.ShellPort, identity, options, ct);
            opened.Add(shell);
            var control = await DealerSocket.ConnectAsync(host, info.ControlPort, null, options, ct);
            opened.Add(control);
            var stdin = await DealerSocket.ConnectAsync(host, info.StdinPort, identity, options, ct);
            opened.Add(stdin);
            var iopub = await SubSocket.ConnectAsync(host, info.IopubPort, options, ct);
            opened.Add(iopub);
            await iopub.SubscribeAsync([], SubscriptionForm.Auto, ct);
            var heartbeat = await ReqSocket.ConnectAsync(host, info.HbPort, options, ct);
            return new KernelClient(info, session, shell, control, stdin, iopub, heartbeat);
        }
        catch
        {
            foreach (var socket in opened) await socket.DisposeAsync();
            throw;
        }
    }

    public JupyterMessage CreateRequest(string msgType, JsonObject? content = null) =>
        JupyterMessage.Create(msgType, content ?? new JsonObject(), Session, "client");

    public ValueTask SendAsync(JupyterChannel channel, JupyterMessage message, CancellationToken ct = default) =>
        Socket(channel).SendAsync(WireCodec.Encode(message, Signer), ct);

    /// <summary>The next message on a channel, verified and decoded; a bad one throws with the reason.</summary>
    public async Task<JupyterMessage> ReceiveAsync(JupyterChannel channel, CancellationToken ct = default)
    {
        var frames = await Socket(channel).ReceiveAsync(ct);
        if (!WireCodec.TryDecode(frames, Signer, out var message, out var error)) throw new FormatException($"{channel}: {error}");
        return message!;
    }

    /// <summary>One heartbeat round trip: the kernel echoes the payload.</summary>
    public async Task<byte[]> PingAsync(byte[] payload, CancellationToken ct = default)
    {
        var reply = await Heartbeat.RequestAsync([payload], ct);
        return reply.Count > 0 ? reply[0] : [];
    }

    private ZmtpClientSocket Socket(JupyterChannel channel) => channel switch
    {
        JupyterChannel.Shell => Shell,
        JupyterChannel.Control => Control,
        JupyterChannel.Stdin => Stdin,
        JupyterChannel.IOPub => IOPub,
        JupyterChannel.Heartbeat => Heartbeat,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "unknown channel"),
    };

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(
            Shell.DisposeAsync().AsTask(),
            Control.DisposeAsync().AsTask(),
            Stdin.DisposeAsync().AsTask(),
            IOPub.DisposeAsync().AsTask(),
            Heartbeat.DisposeAsync().AsTask());
    }
}
