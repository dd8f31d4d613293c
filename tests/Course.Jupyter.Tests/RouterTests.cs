using Course.Jupyter.Zmtp;
using static Course.Jupyter.Tests.TestSupport;

namespace Course.Jupyter.Tests;

public class RouterTests
{
    [Fact]
    public async Task Two_dealers_each_get_only_their_own_replies()
    {
        await using var router = new RouterSocket();
        router.Bind(Loopback, 0);
        var ct = Deadline();
        await using var alice = await DealerSocket.ConnectAsync(Loopback, router.Port, Bytes("alice"), null, ct);
        await using var bob = await DealerSocket.ConnectAsync(Loopback, router.Port, null, null, ct);

        for (int i = 0; i < 5; i++)
        {
            await alice.SendAsync([Bytes($"alice-{i}")], ct);
            await bob.SendAsync([Bytes($"bob-{i}")], ct);
        }
        // The router echoes each request, prefixed, to whoever sent it.
        for (int i = 0; i < 10; i++)
        {
            var request = await router.ReceiveAsync(ct);
            Assert.True(router.TrySend([request[0], Bytes("re:" + Text(request[1]))]));
        }
        var aliceGot = new List<string>();
        var bobGot = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            aliceGot.Add(Text((await alice.ReceiveAsync(ct))[0]));
            bobGot.Add(Text((await bob.ReceiveAsync(ct))[0]));
        }
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"re:alice-{i}"), aliceGot);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"re:bob-{i}"), bobGot);
        Assert.Null(await alice.TryReceiveAsync(TimeSpan.FromMilliseconds(50), ct));
        Assert.Null(await bob.TryReceiveAsync(TimeSpan.FromMilliseconds(50), ct));
        Assert.Contains(router.PeerIdentities, id => Text(id) == "alice");
    }

    [Fact]
    public async Task Unroutable_reply_is_dropped_and_logged()
    {
        var log = new LogSink();
        await using var router = new RouterSocket(Options(log));
        router.Bind(Loopback, 0);
        Assert.False(router.TrySend([Bytes("nobody"), Bytes("x")]));
        Assert.True(log.Contains("no peer with identity"));
    }

    [Fact]
    public async Task Long_frames_travel_both_directions()
    {
        await using var router = new RouterSocket();
        router.Bind(Loopback, 0);
        var ct = Deadline();
        await using var dealer = await DealerSocket.ConnectAsync(Loopback, router.Port, null, null, ct);
        var medium = Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray();
        var large = new byte[3_000_000];
        new Random(7).NextBytes(large);

        await dealer.SendAsync([medium, large, Bytes("tail")], ct);
        var received = await router.ReceiveAsync(ct);
        Assert.Equal(4, received.Count);
        Assert.Equal(medium, received[1]);
        Assert.Equal(large, received[2]);

        Assert.True(router.TrySend([received[0], large, medium]));
        var back = await dealer.ReceiveAsync(ct);
        Assert.Equal(large, back[0]);
        Assert.Equal(medium, back[1]);
    }

    [Fact]
    public async Task Replying_to_a_peer_that_vanished_harms_nobody_else()
    {
        var log = new LogSink();
        await using var router = new RouterSocket(Options(log));
        router.Bind(Loopback, 0);
        var ct = Deadline();
        await using var survivor = await DealerSocket.ConnectAsync(Loopback, router.Port, Bytes("survivor"), null, ct);
        var ghost = await DealerSocket.ConnectAsync(Loopback, router.Port, Bytes("ghost"), null, ct);
        await ghost.SendAsync([Bytes("last words")], ct);
        var request = await router.ReceiveAsync(ct);
        await ghost.DisposeAsync();

        // Whether or not the router has noticed yet, replying to the ghost neither throws nor blocks.
        for (int i = 0; i < 100; i++) router.TrySend([request[0], new byte[10_000]]);
        await WaitUntilAsync(() => router.PeerCount == 1, "the ghost to be removed");
        Assert.False(router.TrySend([Bytes("ghost"), Bytes("too late")]));

        await survivor.SendAsync([Bytes("still there?")], ct);
        var mine = await router.ReceiveAsync(ct);
        Assert.True(router.TrySend([mine[0], Bytes("yes")]));
        Assert.Equal("yes", Text((await survivor.ReceiveAsync(ct))[0]));
    }

    [Fact]
    public async Task Reconnecting_with_the_same_identity_takes_over()
    {
        await using var router = new RouterSocket();
        router.Bind(Loopback, 0);
        var ct = Deadline();
        var first = await DealerSocket.ConnectAsync(Loopback, router.Port, Bytes("same"), null, ct);
        await WaitUntilAsync(() => router.PeerCount == 1, "first peer");
        await using var second = await DealerSocket.ConnectAsync(Loopback, router.Port, Bytes("same"), null, ct);
        await WaitUntilAsync(() => !first.IsConnected, "the old connection to be closed");
        Assert.True(router.TrySend([Bytes("same"), Bytes("to-second")]));
        Assert.Equal("to-second", Text((await second.ReceiveAsync(ct))[0]));
        await first.DisposeAsync();
    }
}
