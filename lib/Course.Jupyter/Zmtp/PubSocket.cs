namespace Course.Jupyter.Zmtp;

/// <summary>
/// PUB: fans each message out to every peer whose subscriptions prefix-match its first frame.
/// Subscriptions arrive as ZMTP 3.0 messages (first byte 1 = subscribe, 0 = cancel, then the topic) or as
/// ZMTP 3.1 SUBSCRIBE / CANCEL commands. A peer whose queue is full misses messages; nobody waits for it.
/// </summary>
public sealed class PubSocket : ZmtpServerSocket
{
    public PubSocket(ZmtpOptions? options = null) : base(ZmtpSocketType.Pub, options) { }

    /// <summary>Raised (on a network thread) when a peer subscribes; the argument is the topic prefix.</summary>
    public event Action<byte[]>? Subscribed;

    /// <summary>Subscriptions summed over the connected peers.</summary>
    public int SubscriptionCount => ReadyPeers.Sum(p => p.Subscriptions.Count);

    /// <summary>Queues the message for every matching subscriber; returns how many got it.</summary>
    public int Publish(IReadOnlyList<byte[]> frames)
    {
        if (frames.Count == 0) throw new ArgumentException("a PUB message needs at least one frame", nameof(frames));
        int delivered = 0;
        foreach (var peer in ReadyPeers)
        {
            if (peer.Subscriptions.Matches(frames[0]) && peer.TrySend(frames)) delivered++;
        }
        return delivered;
    }

    private protected override ValueTask OnMessageAsync(ZmtpConnection peer, List<byte[]> frames, CancellationToken ct)
    {
        // Only subscription messages travel upstream; anything else from a subscriber is ignored, as in libzmq.
        if (frames.Count == 1 && frames[0].Length >= 1 && frames[0][0] <= 1)
        {
            Apply(peer, frames[0][0] == 1, frames[0][1..], "ZMTP 3.0 message");
        }
        return ValueTask.CompletedTask;
    }

    private protected override ValueTask OnCommandAsync(ZmtpConnection peer, Command command)
    {
        if (command.Name == Command.SubscribeName) Apply(peer, true, command.Data, "ZMTP 3.1 command");
        else if (command.Name == Command.CancelName) Apply(peer, false, command.Data, "ZMTP 3.1 command");
        else Log($"{peer.Name}: ignored command {command.Name}");
        return ValueTask.CompletedTask;
    }

    private void Apply(ZmtpConnection peer, bool subscribe, byte[] topic, string form)
    {
        Log($"{peer.Name}: {(subscribe ? "subscribe" : "cancel")} '{System.Text.Encoding.UTF8.GetString(topic)}' ({form})");
        if (subscribe)
        {
            peer.Subscriptions.Add(topic);
            try
            {
                Subscribed?.Invoke(topic);
            }
            catch (Exception e)
            {
                // A faulty handler must not cost the subscriber its connection.
                Log($"{peer.Name}: Subscribed handler threw {e.GetType().Name}: {e.Message}");
            }
        }
        else
        {
            peer.Subscriptions.Remove(topic);
        }
    }
}
