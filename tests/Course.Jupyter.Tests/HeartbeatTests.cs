using Course.Jupyter.Zmtp;
using static Course.Jupyter.Tests.TestSupport;

namespace Course.Jupyter.Tests;

public class HeartbeatTests
{
    [Fact]
    public async Task REP_echoes_REQ_requests()
    {
        await using var rep = new RepSocket();
        rep.Bind(Loopback, 0);
        var ct = Deadline();
        await using var req = await ReqSocket.ConnectAsync(Loopback, rep.Port, null, ct);
        for (int i = 0; i < 3; i++)
        {
            var reply = await req.RequestAsync([Bytes($"ping {i}"), new byte[400]], ct);
            Assert.Equal($"ping {i}", Text(reply[0]));
            Assert.Equal(400, reply[1].Length);
        }
        Assert.Equal(3, rep.RequestCount);
    }

    [Fact]
    public async Task REP_echoes_for_a_raw_peer_that_writes_its_greeting_in_pieces()
    {
        await using var rep = new RepSocket();
        rep.Bind(Loopback, 0);
        var ct = Deadline();
        await using var peer = await RawPeer.ConnectAsync(rep.Port, ct);
        var greeting = Greeting.Null.Encode();
        // libzmq's order: signature, then the major version, then the rest.
        await peer.WriteAsync(greeting[..10], ct);
        await Task.Delay(20, ct);
        await peer.WriteAsync(greeting[10..11], ct);
        await Task.Delay(20, ct);
        await peer.WriteAsync(greeting[11..], ct);
        await peer.WriteByteByByteAsync(RawPeer.Ready("REQ"), ct);
        await peer.ReadHandshakeAsync(ct);
        await peer.WriteByteByByteAsync(Frame.EncodeMessage([[], Bytes("beat")]), ct);
        var reply = await peer.ReadMessageAsync(ct);
        Assert.Equal(["", "beat"], reply!.Select(Text));
    }

    [Fact]
    public async Task REP_drops_a_request_without_delimiter_and_keeps_serving()
    {
        var log = new LogSink();
        await using var rep = new RepSocket(null, Options(log));
        rep.Bind(Loopback, 0);
        var ct = Deadline();
        await using var dealer = await DealerSocket.ConnectAsync(Loopback, rep.Port, null, null, ct);
        await dealer.SendAsync([Bytes("no envelope")], ct);
        await dealer.SendAsync([[], Bytes("with envelope")], ct);
        var reply = await dealer.ReceiveAsync(ct);
        Assert.Equal(["", "with envelope"], reply.Select(Text));
        Assert.True(log.Contains("without an empty delimiter"));
    }
}
