namespace Course.Jupyter.Zmtp;

/// <summary>How a SUB tells its PUB about a subscription.</summary>
public enum SubscriptionForm
{
    /// <summary>SUBSCRIBE/CANCEL commands if the peer speaks ZMTP 3.1, else messages.</summary>
    Auto,
    /// <summary>ZMTP 3.0: a one-frame message, first byte 1 (subscribe) or 0 (cancel), then the topic.</summary>
    Message,
    /// <summary>ZMTP 3.1: SUBSCRIBE and CANCEL commands.</summary>
    Command,
}

/// <summary>
/// SUB: subscribes to topic prefixes at a PUB and receives what it publishes. Filtering is left to the
/// publisher, so what arrives shows exactly what the PUB sent.
/// </summary>
public sealed class SubSocket : ZmtpClientSocket
{
    private SubSocket(ZmtpConnection connection, ZmtpOptions options) : base(connection, options) { }

    public static async Task<SubSocket> ConnectAsync(string host, int port, ZmtpOptions? options = null, CancellationToken ct = default)
    {
        options ??= ZmtpOptions.Default;
        var socket = new SubSocket(await OpenAsync(ZmtpSocketType.Sub, host, port, null, options, ct), options);
        socket.Start();
        return socket;
    }

    public ValueTask SubscribeAsync(byte[] topic, SubscriptionForm form = SubscriptionForm.Auto, CancellationToken ct = default) =>
        ChangeAsync(true, topic, form, ct);

    public ValueTask UnsubscribeAsync(byte[] topic, SubscriptionForm form = SubscriptionForm.Auto, CancellationToken ct = default) =>
        ChangeAsync(false, topic, form, ct);

    private ValueTask ChangeAsync(bool subscribe, byte[] topic, SubscriptionForm form, CancellationToken ct)
    {
        if (form == SubscriptionForm.Auto) form = PeerGreeting.Minor >= 1 ? SubscriptionForm.Command : SubscriptionForm.Message;
        if (form == SubscriptionForm.Command)
        {
            return Connection.SendCommandAsync(subscribe ? Command.Subscribe(topic) : Command.Cancel(topic), ct);
        }
        return Connection.SendAsync([[subscribe ? (byte)1 : (byte)0, .. topic]], ct);
    }
}
