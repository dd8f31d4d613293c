using Course.Jupyter.Zmtp;
using static Course.Jupyter.Tests.TestSupport;

namespace Course.Jupyter.Tests;

public class WireFormatTests
{
    [Fact]
    public void Greeting_has_the_RFC_23_layout_and_round_trips()
    {
        var bytes = Greeting.Null.Encode();
        Assert.Equal(64, bytes.Length);
        Assert.Equal(0xFF, bytes[0]);
        Assert.Equal(0x7F, bytes[9]);
        Assert.Equal(3, bytes[10]);
        Assert.Equal(1, bytes[11]);
        Assert.Equal("NULL", Text(bytes[12..16]));
        Assert.All(bytes[16..32], b => Assert.Equal(0, b));
        Assert.Equal(0, bytes[32]);
        Assert.Equal(Greeting.Null, Greeting.Parse(bytes));
    }

    [Fact]
    public void Greeting_rejects_non_ZMTP_bytes_and_old_versions()
    {
        var http = Bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n").Concat(new byte[64]).Take(64).ToArray();
        var e = Assert.Throws<ZmtpException>(() => Greeting.Parse(http));
        Assert.Contains("not a ZMTP greeting", e.Message);

        var zmtp2 = Greeting.Null.Encode();
        zmtp2[10] = 2;
        Assert.Contains("ZMTP 2.", Assert.Throws<ZmtpException>(() => Greeting.Parse(zmtp2)).Message);
    }

    [Fact]
    public async Task FrameReader_assembles_greeting_and_frames_delivered_one_byte_per_read()
    {
        var longBody = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        byte[] wire =
        [
            .. Greeting.Null.Encode(),
            .. RawPeer.Ready("DEALER", Bytes("me")),
            .. Frame.EncodeMessage([Bytes("a"), [], longBody]),
        ];
        var stream = new TrickleStream(wire);
        var reader = new FrameReader(stream, 1 << 20);
        var ct = Deadline();

        Assert.Equal(Greeting.Null, Greeting.Parse(await reader.ReadBytesAsync(64, "greeting", ct)));
        var ready = (await reader.ReadFrameAsync(ct))!.Value;
        Assert.True(ready.IsCommand);
        var props = Command.Parse(ready.Body).ReadProperties();
        Assert.Equal("DEALER", Text(props["socket-type"]));
        Assert.Equal("me", Text(props["Identity"]));

        var f1 = (await reader.ReadFrameAsync(ct))!.Value;
        var f2 = (await reader.ReadFrameAsync(ct))!.Value;
        var f3 = (await reader.ReadFrameAsync(ct))!.Value;
        Assert.Equal(("a", true), (Text(f1.Body), f1.More));
        Assert.Equal((0, true), (f2.Body.Length, f2.More));
        Assert.Equal(longBody, f3.Body);
        Assert.False(f3.More);
        Assert.Null(await reader.ReadFrameAsync(ct));
        Assert.Equal(wire.Length, reader.BytesRead);
        Assert.True(stream.Reads >= wire.Length, "each byte should have come from its own read");
    }

    [Fact]
    public void Frame_header_uses_the_long_form_only_above_255_bytes()
    {
        var header = new byte[9];
        Assert.Equal(2, Frame.WriteHeader(header, 255, more: true, command: false));
        Assert.Equal(new byte[] { 0x01, 255 }, header[..2]);
        Assert.Equal(9, Frame.WriteHeader(header, 256, more: false, command: true));
        Assert.Equal(new byte[] { 0x06, 0, 0, 0, 0, 0, 0, 1, 0 }, header);
    }

    [Fact]
    public async Task FrameReader_refuses_a_huge_declared_length_before_allocating()
    {
        byte[] wire = [0x02, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        var reader = new FrameReader(new MemoryStream(wire), 1 << 20);
        var e = await Assert.ThrowsAsync<ZmtpException>(async () => await reader.ReadFrameAsync(Deadline()));
        Assert.Contains("over the limit", e.Message);
    }

    [Fact]
    public async Task FrameReader_reports_a_truncated_frame_and_bad_flags()
    {
        var truncated = new FrameReader(new MemoryStream([0x00, 10, 1, 2, 3]), 1 << 20);
        var e = await Assert.ThrowsAsync<ZmtpException>(async () => await truncated.ReadFrameAsync(Deadline()));
        Assert.Contains("got 3 of 10 bytes", e.Message);

        var flags = new FrameReader(new MemoryStream([0x80, 0]), 1 << 20);
        Assert.Contains("reserved bits", (await Assert.ThrowsAsync<ZmtpException>(async () => await flags.ReadFrameAsync(Deadline()))).Message);
    }

    [Fact]
    public void Commands_encode_and_parse()
    {
        var ping = Command.Parse(Command.Ping(10, Bytes("ctx")).Encode());
        Assert.Equal("PING", ping.Name);
        Assert.Equal("ctx", Text(ping.PingContext));
        Assert.Equal("boom", Command.Parse(Command.Error("boom").Encode()).ErrorReason);
        var sub = Command.Parse(Command.Subscribe(Bytes("topic")).Encode());
        Assert.Equal(("SUBSCRIBE", "topic"), (sub.Name, Text(sub.Data)));
        Assert.Throws<ZmtpException>(() => Command.Parse([9, 1, 2]));
        var badProps = new Command("READY", [5, (byte)'a']);
        Assert.Contains("truncated", Assert.Throws<ZmtpException>(() => badProps.ReadProperties()).Message);
    }

    [Theory]
    [InlineData(ZmtpSocketType.Router, ZmtpSocketType.Dealer, true)]
    [InlineData(ZmtpSocketType.Router, ZmtpSocketType.Req, true)]
    [InlineData(ZmtpSocketType.Pub, ZmtpSocketType.Sub, true)]
    [InlineData(ZmtpSocketType.Pub, ZmtpSocketType.XSub, true)]
    [InlineData(ZmtpSocketType.Rep, ZmtpSocketType.Req, true)]
    [InlineData(ZmtpSocketType.Rep, ZmtpSocketType.Dealer, true)]
    [InlineData(ZmtpSocketType.Router, ZmtpSocketType.Pub, false)]
    [InlineData(ZmtpSocketType.Pub, ZmtpSocketType.Dealer, false)]
    [InlineData(ZmtpSocketType.Rep, ZmtpSocketType.Rep, false)]
    [InlineData(ZmtpSocketType.Sub, ZmtpSocketType.Sub, false)]
    public void Socket_type_combinations_follow_RFC_37(ZmtpSocketType local, ZmtpSocketType peer, bool valid) =>
        Assert.Equal(valid, ZmtpSocketTypes.IsCompatible(local, peer));

    [Fact]
    public void Subscriptions_prefix_match_and_count()
    {
        var set = new SubscriptionSet();
        Assert.False(set.Matches(Bytes("abc")));
        set.Add(Bytes("ab"));
        set.Add(Bytes("ab"));
        Assert.True(set.Matches(Bytes("abc")));
        Assert.False(set.Matches(Bytes("a")));
        Assert.True(set.Remove(Bytes("ab")));
        Assert.True(set.Matches(Bytes("abc")));
        Assert.True(set.Remove(Bytes("ab")));
        Assert.False(set.Matches(Bytes("abc")));
        set.Add([]);
        Assert.True(set.Matches([]));
        Assert.True(set.Matches(Bytes("anything")));
    }
}
