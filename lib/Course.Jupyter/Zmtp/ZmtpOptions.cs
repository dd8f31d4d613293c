namespace Course.Jupyter.Zmtp;

/// <summary>Limits and hooks shared by every socket; the defaults suit a Jupyter kernel.</summary>
public sealed record ZmtpOptions
{
    public static ZmtpOptions Default { get; } = new();

    /// <summary>Largest frame or multipart message accepted from a peer; beyond it the peer is dropped.</summary>
    public long MaxMessageBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Most frames in one multipart message.</summary>
    public int MaxFramesPerMessage { get; init; } = 4096;

    /// <summary>Messages queued per peer before sends to it are dropped (a slow peer never blocks the others).</summary>
    public int SendHighWaterMark { get; init; } = 1000;

    /// <summary>Messages queued for the application before reading from peers pauses.</summary>
    public int ReceiveHighWaterMark { get; init; } = 1000;

    /// <summary>A peer that has not finished the greeting and READY by then is dropped.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>On close, how long queued messages may take to flush.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where connection events and dropped input are reported (null: nowhere).</summary>
    public Action<string>? Log { get; init; }
}
