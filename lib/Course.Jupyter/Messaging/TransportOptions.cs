using NetMQ;

namespace Course.Jupyter.Messaging;

/// <summary>Socket limits shared by the kernel and client sides; the defaults suit a Jupyter kernel.</summary>
public sealed record TransportOptions
{
    public static TransportOptions Default { get; } = new();

    /// <summary>Largest message accepted from a peer; a peer that sends a bigger one is disconnected.</summary>
    public long MaxMessageBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Messages queued per peer before sends to it are dropped (a slow iopub client never blocks the kernel).</summary>
    public int SendHighWaterMark { get; init; } = 1000;

    /// <summary>On close, how long queued messages (a shutdown_reply) may take to flush.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromSeconds(1);

    internal T Apply<T>(T socket) where T : NetMQSocket
    {
        socket.Options.Linger = Linger;
        socket.Options.SendHighWatermark = SendHighWaterMark;
        socket.Options.MaxMsgSize = MaxMessageBytes;
        return socket;
    }
}

/// <summary>A channel that could not be set up: the message names the channel and the endpoint.</summary>
public sealed class KernelTransportException(string message, Exception? inner = null) : Exception(message, inner);
