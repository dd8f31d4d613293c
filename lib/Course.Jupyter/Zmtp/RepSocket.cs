namespace Course.Jupyter.Zmtp;

/// <summary>
/// REP: strips the envelope (every frame up to and including the first empty one), hands the body to a
/// responder and sends the reply back under the same envelope. The default responder echoes, which is
/// the Jupyter heartbeat. Each peer is served on its own connection, so one stalled peer delays no one.
/// </summary>
public sealed class RepSocket : ZmtpServerSocket
{
    private readonly Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>> _respond;
    private long _requests;

    public RepSocket(Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>>? respond = null, ZmtpOptions? options = null)
        : base(ZmtpSocketType.Rep, options)
    {
        _respond = respond ?? (body => body);
    }

    /// <summary>Requests answered so far.</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    private protected override ValueTask OnMessageAsync(ZmtpConnection peer, List<byte[]> frames, CancellationToken ct)
    {
        int delimiter = frames.FindIndex(f => f.Length == 0);
        if (delimiter < 0)
        {
            Log($"{peer.Name}: request without an empty delimiter frame dropped ({frames.Count} frame(s))");
            return ValueTask.CompletedTask;
        }
        IReadOnlyList<byte[]> reply;
        try
        {
            reply = _respond(frames.GetRange(delimiter + 1, frames.Count - delimiter - 1));
        }
        catch (Exception e)
        {
            Log($"{peer.Name}: responder threw {e.GetType().Name}: {e.Message}; request dropped");
            return ValueTask.CompletedTask;
        }
        var outgoing = new List<byte[]>(delimiter + 1 + reply.Count);
        outgoing.AddRange(frames.Take(delimiter + 1));
        outgoing.AddRange(reply);
        if (reply.Count == 0) outgoing.Add([]);
        peer.TrySend(outgoing);
        Interlocked.Increment(ref _requests);
        return ValueTask.CompletedTask;
    }
}
