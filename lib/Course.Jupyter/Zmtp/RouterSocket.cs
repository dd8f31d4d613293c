using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Course.Jupyter.Zmtp;

/// <summary>
/// ROUTER: each peer gets a routing identity (its READY Identity, else 0x00 + 4 bytes like libzmq);
/// incoming messages gain that identity as their first frame, and outgoing ones are routed by it.
/// </summary>
public sealed class RouterSocket : ZmtpServerSocket
{
    private readonly ConcurrentDictionary<string, ZmtpConnection> _byIdentity = new();
    private readonly Channel<IReadOnlyList<byte[]>> _incoming;
    private uint _nextId = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));

    public RouterSocket(ZmtpOptions? options = null) : base(ZmtpSocketType.Router, options)
    {
        _incoming = Channel.CreateBounded<IReadOnlyList<byte[]>>(new BoundedChannelOptions(Options.ReceiveHighWaterMark)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Messages from all peers, each starting with the sender's identity frame.</summary>
    public ChannelReader<IReadOnlyList<byte[]>> Incoming => _incoming.Reader;

    public ValueTask<IReadOnlyList<byte[]>> ReceiveAsync(CancellationToken ct = default) => _incoming.Reader.ReadAsync(ct);

    /// <summary>The routing identities of the connected peers.</summary>
    public IReadOnlyList<byte[]> PeerIdentities => _byIdentity.Values.Select(p => p.RoutingId).ToList();

    /// <summary>
    /// Sends frames[1..] to the peer whose identity is frames[0]. False (and logged) when no such peer is
    /// connected or its queue is full: like libzmq, an unroutable message is dropped.
    /// </summary>
    public bool TrySend(IReadOnlyList<byte[]> frames)
    {
        if (frames.Count < 2) throw new ArgumentException($"ROUTER send needs an identity frame and at least one body frame, got {frames.Count} frame(s)", nameof(frames));
        var key = Convert.ToHexString(frames[0]);
        if (!_byIdentity.TryGetValue(key, out var peer))
        {
            Log($"ROUTER {LocalEndPoint}: no peer with identity {key}; message dropped");
            return false;
        }
        return peer.TrySend(frames.Skip(1).ToArray());
    }

    private protected override bool OnPeerReady(ZmtpConnection peer)
    {
        byte[] id;
        if (peer.PeerIdentity.Length > 0)
        {
            id = peer.PeerIdentity;
        }
        else
        {
            id = new byte[5];
            BitConverter.TryWriteBytes(id.AsSpan(1), Interlocked.Increment(ref _nextId));
        }
        peer.RoutingId = id;
        var key = Convert.ToHexString(id);
        // A reconnecting client with the same identity takes over from its old connection.
        _byIdentity.AddOrUpdate(key, peer, (_, old) =>
        {
            Log($"{peer.Name}: identity {key} taken over from {old.Name}");
            old.Close(null);
            return peer;
        });
        return true;
    }

    private protected override ValueTask OnMessageAsync(ZmtpConnection peer, List<byte[]> frames, CancellationToken ct)
    {
        frames.Insert(0, peer.RoutingId);
        return _incoming.Writer.WriteAsync(frames, ct);
    }

    private protected override void OnPeerClosed(ZmtpConnection peer) =>
        _byIdentity.TryRemove(new KeyValuePair<string, ZmtpConnection>(Convert.ToHexString(peer.RoutingId), peer));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _incoming.Writer.TryComplete();
    }
}
