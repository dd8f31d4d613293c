using System.Text;
using Course.Jupyter.Zmtp;
using static Course.Jupyter.Tests.TestSupport;

namespace Course.Jupyter.Tests;

public class HandshakeTests
{
    [Fact]
    public async Task Router_accepts_a_greeting_and_READY_written_byte_by_byte()
    {
        var log = new LogSink();
        await using var router = new RouterSocket(Options(log));
        router.Bind(Loopback, 0);
        var ct = Deadline();
        await using var peer = await RawPeer.ConnectAsync(router.Port, ct);

        await peer.WriteByteByByteAsync([.. Greeting.Null.Encode(), .. RawPeer.Ready("DEALER", Bytes("raw-1"))], ct);
        var (greeting, ready) = await peer.ReadHandshakeAsync(ct);
        Assert.Equal((3, 1, "NULL"), (greeting.Major, greeting.Minor, greeting.Mechanism));
        Assert.Equal("READY", ready.Name);
        var props = ready.ReadProperties();
        Assert.Equal("ROUTER", Encoding.ASCII.GetString(props["Socket-Type"]));
        Assert.True(props.ContainsKey("Identity"));

        // A message split across writes reaches the application with the peer's own identity first.
        await peer.WriteByteByByteAsync(Frame.EncodeMessage([Bytes("hello"), Bytes("world")]), ct);
        var message = await router.ReceiveAsync(ct);
        Assert.Equal(["raw-1", "hello", "world"], message.Select(Text));

        Assert.True(router.TrySend([Bytes("raw-1"), Bytes("back")]));
        Assert.Equal(["back"], (await peer.ReadMessageAsync(ct))!.Select(Text));
    }

    [Fact]
    public async Task Dealer_and_router_exchange_greeting_and_READY()
    {
        await using var router = new RouterSocket();
        router.Bind(Loopback, 0);
        var ct = Deadline();
        await using var dealer = await DealerSocket.ConnectAsync(Loopback, router.Port, null, null, ct);
        Assert.Equal(ZmtpSocketType.Router, dealer.PeerType);
        Assert.Equal(3, dealer.PeerGreeting.Major);
        await WaitUntilAsync(() => router.PeerCount == 1, "the router to see its peer");
        var id = Assert.Single(router.PeerIdentities);
        Assert.Equal(5, id.Length);
        Assert.Equal(0, id[0]);
    }

    [Fact]
    public async Task Incompatible_socket_type_is_refused_with_ERROR_and_logged()
    {
        var log = new LogSink();
        await using var router = new RouterSocket(Options(log));
        router.Bind(Loopback, 0);
        var ct = Deadline();
        await using var peer = await RawPeer.ConnectAsync(router.Port, ct);
        await peer.WriteAsync([.. Greeting.Null.Encode(), .. RawPeer.Ready("PUB")], ct);
        await peer.ReadHandshakeAsync(ct);
        var error = (await peer.Reader.ReadFrameAsync(ct))!.Value;
        Assert.True(error.IsCommand);
        var command = Command.Parse(error.Body);
        Assert.Equal(("ERROR", "Invalid socket type"), (command.Name, command.ErrorReason));
        Assert.True(await peer.IsClosedByPeerAsync(ct));
        await WaitUntilAsync(() => log.Contains("a PUB peer cannot talk to a ROUTER socket"), "the refusal to be logged");
        Assert.Equal(0, router.PeerCount);
    }

    [Fact]
    public async Task Non_ZMTP_and_old_ZMTP_peers_are_dropped()
    {
        var log = new LogSink();
        await using var router = new RouterSocket(Options(log));
        router.Bind(Loopback, 0);
        var ct = Deadline();

        await using var http = await RawPeer.ConnectAsync(router.Port, ct);
        await http.WriteAsync(Bytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"), ct);
        Assert.True(await http.IsClosedByPeerAsync(ct));

        await using var old = await RawPeer.ConnectAsync(router.Port, ct);
        var zmtp2 = Greeting.Null.Encode()[..11];
        zmtp2[10] = 1;
        await old.WriteAsync(zmtp2, ct);
        Assert.True(await old.IsClosedByPeerAsync(ct));

        await WaitUntilAsync(() => log.Contains("not a ZMTP greeting") && log.Contains("only ZMTP 3.x"), "both refusals to be logged");
    }

    [Fact]
    public async Task Client_connecting_to_the_wrong_socket_type_gets_a_clear_error()
    {
        await using var pub = new PubSocket();
        pub.Bind(Loopback, 0);
        var e = await Assert.ThrowsAsync<ZmtpException>(() => DealerSocket.ConnectAsync(Loopback, pub.Port, null, null, Deadline()));
        Assert.Contains("PUB", e.Message);
        Assert.Contains("DEALER", e.Message);
    }

    [Fact]
    public async Task A_silent_peer_is_dropped_after_the_handshake_timeout()
    {
        var log = new LogSink();
        await using var router = new RouterSocket(Options(log) with { HandshakeTimeout = TimeSpan.FromMilliseconds(200) });
        router.Bind(Loopback, 0);
        var ct = Deadline();
        await using var silent = await RawPeer.ConnectAsync(router.Port, ct);
        Assert.True(await silent.IsClosedByPeerAsync(ct));
        await WaitUntilAsync(() => log.Contains("handshake not finished"), "the timeout to be logged");
    }

    [Fact]
    public async Task Port_zero_binds_a_free_port_and_a_taken_port_names_the_endpoint()
    {
        await using var first = new RouterSocket();
        first.Bind(Loopback, 0);
        Assert.InRange(first.Port, 1, 65535);
        await using var second = new RouterSocket();
        var e = Assert.Throws<ZmtpException>(() => second.Bind(Loopback, first.Port));
        Assert.Contains($"tcp://127.0.0.1:{first.Port}", e.Message);
    }
}
