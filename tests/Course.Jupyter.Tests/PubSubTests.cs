using Course.Jupyter.Zmtp;
using static Course.Jupyter.Tests.TestSupport;

namespace Course.Jupyter.Tests;

public class PubSubTests
{
    [Theory]
    [InlineData(SubscriptionForm.Message)]
    [InlineData(SubscriptionForm.Command)]
    public async Task Subscription_filters_by_prefix_and_cancel_stops_delivery(SubscriptionForm form)
    {
        await using var pub = new PubSocket();
        pub.Bind(Loopback, 0);
        var ct = Deadline();
        await using var sub = await SubSocket.ConnectAsync(Loopback, pub.Port, null, ct);
        await sub.SubscribeAsync(Bytes("kernel.status"), form, ct);
        await WaitUntilAsync(() => pub.SubscriptionCount == 1, $"the {form} subscription to register");

        Assert.Equal(0, pub.Publish([Bytes("kernel.stream"), Bytes("not for you")]));
        Assert.Equal(1, pub.Publish([Bytes("kernel.status.busy"), Bytes("body")]));
        var got = await sub.ReceiveAsync(ct);
        Assert.Equal(["kernel.status.busy", "body"], got.Select(Text));
        Assert.Null(await sub.TryReceiveAsync(TimeSpan.FromMilliseconds(50), ct));

        await sub.UnsubscribeAsync(Bytes("kernel.status"), form, ct);
        await WaitUntilAsync(() => pub.SubscriptionCount == 0, "the cancel to register");
        Assert.Equal(0, pub.Publish([Bytes("kernel.status.idle")]));
        Assert.Null(await sub.TryReceiveAsync(TimeSpan.FromMilliseconds(50), ct));
    }

    [Fact]
    public async Task Fan_out_reaches_every_matching_subscriber_and_raises_Subscribed()
    {
        await using var pub = new PubSocket();
        var topics = new System.Collections.Concurrent.ConcurrentBag<string>();
        pub.Subscribed += t => topics.Add(Text(t));
        pub.Bind(Loopback, 0);
        var ct = Deadline();
        await using var all = await SubSocket.ConnectAsync(Loopback, pub.Port, null, ct);
        await using var some = await SubSocket.ConnectAsync(Loopback, pub.Port, null, ct);
        await all.SubscribeAsync([], SubscriptionForm.Auto, ct);
        await some.SubscribeAsync(Bytes("b"), SubscriptionForm.Message, ct);
        await WaitUntilAsync(() => pub.SubscriptionCount == 2, "both subscriptions");
        Assert.Equal(["", "b"], topics.Order());

        Assert.Equal(1, pub.Publish([Bytes("a1")]));
        Assert.Equal(2, pub.Publish([Bytes("b1")]));
        Assert.Equal("a1", Text((await all.ReceiveAsync(ct))[0]));
        Assert.Equal("b1", Text((await all.ReceiveAsync(ct))[0]));
        Assert.Equal("b1", Text((await some.ReceiveAsync(ct))[0]));
    }

    [Fact]
    public async Task A_subscriber_that_disconnects_is_dropped_from_the_fan_out()
    {
        await using var pub = new PubSocket();
        pub.Bind(Loopback, 0);
        var ct = Deadline();
        await using var stays = await SubSocket.ConnectAsync(Loopback, pub.Port, null, ct);
        var leaves = await SubSocket.ConnectAsync(Loopback, pub.Port, null, ct);
        await stays.SubscribeAsync([], SubscriptionForm.Auto, ct);
        await leaves.SubscribeAsync([], SubscriptionForm.Auto, ct);
        await WaitUntilAsync(() => pub.SubscriptionCount == 2, "both subscriptions");
        await leaves.DisposeAsync();
        await WaitUntilAsync(() => pub.PeerCount == 1, "the departed subscriber to be removed");

        Assert.Equal(1, pub.Publish([Bytes("after")]));
        Assert.Equal("after", Text((await stays.ReceiveAsync(ct))[0]));
    }

    [Fact]
    public async Task PUB_answers_PING_with_PONG_carrying_the_context()
    {
        await using var pub = new PubSocket();
        pub.Bind(Loopback, 0);
        var ct = Deadline();
        await using var peer = await RawPeer.ConnectAsync(pub.Port, ct);
        await peer.WriteAsync([.. Greeting.Null.Encode(), .. RawPeer.Ready("SUB")], ct);
        await peer.ReadHandshakeAsync(ct);
        await peer.WriteAsync(RawPeer.CommandFrame(Command.Ping(50, Bytes("hb-7"))), ct);
        var pong = (await peer.Reader.ReadFrameAsync(ct))!.Value;
        Assert.True(pong.IsCommand);
        var command = Command.Parse(pong.Body);
        Assert.Equal(("PONG", "hb-7"), (command.Name, Text(command.Data)));
    }

    [Fact]
    public async Task A_subscriber_that_never_reads_does_not_block_the_others()
    {
        var log = new LogSink();
        await using var pub = new PubSocket(Options(log) with { SendHighWaterMark = 4 });
        pub.Bind(Loopback, 0);
        var ct = Deadline(10);
        await using var stalled = await RawPeer.ConnectAsync(pub.Port, ct);
        await stalled.WriteAsync([.. Greeting.Null.Encode(), .. RawPeer.Ready("SUB"), .. Frame.EncodeMessage([[1]])], ct);
        await using var healthy = await SubSocket.ConnectAsync(Loopback, pub.Port, null, ct);
        await healthy.SubscribeAsync([], SubscriptionForm.Auto, ct);
        await WaitUntilAsync(() => pub.SubscriptionCount == 2, "both subscriptions");

        // The stalled peer never reads: its socket buffers fill, then its queue, then its messages are dropped.
        var payload = new byte[256 * 1024];
        for (int i = 0; i < 60; i++)
        {
            pub.Publish([Bytes($"m{i}"), payload]);
            var got = await healthy.ReceiveAsync(ct);
            Assert.Equal($"m{i}", Text(got[0]));
        }
        await WaitUntilAsync(() => log.Contains("send queue full"), "the stalled peer's drops to be logged");
    }
}
