using System.Text.Json.Nodes;
using Course.Jupyter.Messaging;
using Course.Jupyter.Zmtp;
using static Course.Jupyter.Tests.TestSupport;

namespace Course.Jupyter.Tests;

public class KernelTransportTests
{
    private static async Task<(KernelTransport Kernel, KernelClient Client, StringWriter Log)> StartAsync(string key = "test-key")
    {
        var log = new StringWriter();
        var kernel = KernelTransport.Start(ConnectionInfo.ForLoopback(key), log);
        var client = await KernelClient.ConnectAsync(kernel.Connection, null, Deadline());
        await WaitUntilAsync(() => kernel.IopubSubscriptions == 1
            && Enum.GetValues<JupyterChannel>().All(ch => kernel.ConnectedPeers(ch) == 1), "the client's five connections and iopub subscription");
        return (kernel, client, log);
    }

    [Fact]
    public async Task Request_reply_and_iopub_round_trip_with_parent_headers()
    {
        var (kernel, client, _) = await StartAsync();
        await using var k = kernel;
        await using var c = client;
        var ct = Deadline();
        Assert.All(new[] { kernel.Connection.ShellPort, kernel.Connection.IopubPort, kernel.Connection.StdinPort, kernel.Connection.ControlPort, kernel.Connection.HbPort },
            port => Assert.InRange(port, 1, 65535));

        var request = client.CreateRequest("kernel_info_request");
        await client.SendAsync(JupyterChannel.Shell, request, ct);
        var received = await kernel.ReceiveAsync(JupyterChannel.Shell, ct);
        Assert.Equal(request.Header, received.Header with { Date = request.Header.Date });
        Assert.Equal(client.Session, Text(Assert.Single(received.Identities)));

        Assert.Equal(1, kernel.Publish(kernel.CreateBroadcast(received, "status", new JsonObject { ["execution_state"] = "busy" })));
        Assert.True(kernel.Send(JupyterChannel.Shell, kernel.CreateReply(received, "kernel_info_reply",
            new JsonObject { ["status"] = "ok", ["protocol_version"] = "5.3" })));

        var reply = await client.ReceiveAsync(JupyterChannel.Shell, ct);
        Assert.Equal("kernel_info_reply", reply.MsgType);
        Assert.Equal(request.Header.MsgId, reply.ParentHeader!.MsgId);
        Assert.Equal(kernel.Session, reply.Header.Session);

        var status = await client.ReceiveAsync(JupyterChannel.IOPub, ct);
        Assert.Equal("status", status.MsgType);
        Assert.Equal(request.Header.MsgId, status.ParentHeader!.MsgId);
        Assert.Equal($"kernel.{kernel.Session}.status", Text(Assert.Single(status.Identities)));
        Assert.Equal("busy", (string)status.Content["execution_state"]!);
    }

    [Fact]
    public async Task Control_stdin_and_heartbeat_channels_work()
    {
        var (kernel, client, _) = await StartAsync();
        await using var k = kernel;
        await using var c = client;
        var ct = Deadline();

        await client.SendAsync(JupyterChannel.Control, client.CreateRequest("interrupt_request"), ct);
        var interrupt = await kernel.ReceiveAsync(JupyterChannel.Control, ct);
        Assert.True(kernel.Send(JupyterChannel.Control, kernel.CreateReply(interrupt, "interrupt_reply", new JsonObject { ["status"] = "ok" })));
        Assert.Equal("interrupt_reply", (await client.ReceiveAsync(JupyterChannel.Control, ct)).MsgType);

        // input_request goes out on stdin to the identity the shell request came from (shell and stdin share it).
        await client.SendAsync(JupyterChannel.Shell, client.CreateRequest("execute_request", new JsonObject { ["code"] = "Console.ReadLine()" }), ct);
        var execute = await kernel.ReceiveAsync(JupyterChannel.Shell, ct);
        Assert.True(kernel.Send(JupyterChannel.Stdin, kernel.CreateReply(execute, "input_request", new JsonObject { ["prompt"] = "? " })));
        var input = await client.ReceiveAsync(JupyterChannel.Stdin, ct);
        Assert.Equal("input_request", input.MsgType);
        var answer = input.CreateReply("input_reply", new JsonObject { ["value"] = "42" }, client.Session);
        await client.SendAsync(JupyterChannel.Stdin, answer with { Identities = [] }, ct);
        Assert.Equal("42", (string)(await kernel.ReceiveAsync(JupyterChannel.Stdin, ct)).Content["value"]!);

        Assert.Equal("alive", Text(await client.PingAsync(Bytes("alive"), ct)));
        Assert.Equal(1, kernel.HeartbeatsEchoed);
    }

    [Fact]
    public async Task Bad_signature_is_rejected_and_logged_and_a_good_one_passes()
    {
        var (kernel, client, log) = await StartAsync("right-key");
        await using var k = kernel;
        await using var c = client;
        var ct = Deadline();

        var forged = WireCodec.Encode(client.CreateRequest("execute_request", new JsonObject { ["code"] = "rm -rf" }), new MessageSigner("wrong-key"));
        await client.Shell.SendAsync(forged, ct);
        await client.SendAsync(JupyterChannel.Shell, client.CreateRequest("kernel_info_request"), ct);

        var delivered = await kernel.ReceiveAsync(JupyterChannel.Shell, ct);
        Assert.Equal("kernel_info_request", delivered.MsgType);
        Assert.Equal(1, kernel.RejectedMessages);
        Assert.Contains("bad signature", log.ToString());
        Assert.False(kernel.Incoming(JupyterChannel.Shell).TryRead(out _));
    }

    [Fact]
    public async Task Malformed_input_does_not_crash_the_transport_and_other_peers_keep_working()
    {
        var (kernel, client, log) = await StartAsync();
        await using var k = kernel;
        await using var c = client;
        var ct = Deadline();
        int shell = kernel.Connection.ShellPort;

        // A well-formed ZMTP message that is not a Jupyter message: logged and dropped.
        await client.Shell.SendAsync([Bytes("just"), Bytes("frames")], ct);

        // Garbage bytes instead of a greeting.
        await using (var garbage = await RawPeer.ConnectAsync(shell, ct))
        {
            await garbage.WriteAsync(Enumerable.Range(0, 200).Select(i => (byte)(i * 37 + 11)).ToArray(), ct);
            Assert.True(await garbage.IsClosedByPeerAsync(ct));
        }
        // A frame declaring 2^62 bytes after a valid handshake.
        await using (var huge = await RawPeer.ConnectAsync(shell, ct))
        {
            await huge.WriteAsync([.. Greeting.Null.Encode(), .. RawPeer.Ready("DEALER"), 0x02, 0x40, 0, 0, 0, 0, 0, 0, 0], ct);
            Assert.True(await huge.IsClosedByPeerAsync(ct));
        }
        // A truncated frame, then the peer goes away.
        await using (var truncated = await RawPeer.ConnectAsync(shell, ct))
        {
            await truncated.WriteAsync([.. Greeting.Null.Encode(), .. RawPeer.Ready("DEALER")], ct);
            await truncated.ReadHandshakeAsync(ct);
            await truncated.WriteAsync([0x00, 100, 1, 2, 3], ct);
        }

        await client.SendAsync(JupyterChannel.Shell, client.CreateRequest("kernel_info_request"), ct);
        var received = await kernel.ReceiveAsync(JupyterChannel.Shell, ct);
        Assert.Equal("kernel_info_request", received.MsgType);
        Assert.True(kernel.Send(JupyterChannel.Shell, kernel.CreateReply(received, "kernel_info_reply", new JsonObject())));
        Assert.Equal("kernel_info_reply", (await client.ReceiveAsync(JupyterChannel.Shell, ct)).MsgType);

        await WaitUntilAsync(() => log.ToString().Contains("closed in the middle of a frame"), "the truncated frame to be logged:\n" + log);
        var text = log.ToString();
        Assert.Contains("no <IDS|MSG> delimiter", text);
        Assert.Contains("not a ZMTP greeting", text);
        Assert.Contains("over the limit", text);
        Assert.Equal(1, kernel.RejectedMessages);
    }

    [Fact]
    public async Task Empty_key_disables_signing_end_to_end()
    {
        var (kernel, client, _) = await StartAsync(key: "");
        await using var k = kernel;
        await using var c = client;
        var ct = Deadline();
        await client.SendAsync(JupyterChannel.Shell, client.CreateRequest("kernel_info_request"), ct);
        var frames = await kernel.ReceiveAsync(JupyterChannel.Shell, ct);
        Assert.Equal("kernel_info_request", frames.MsgType);
    }

    [Fact]
    public async Task Dispose_flushes_queued_replies_closes_peers_and_frees_the_ports()
    {
        var (kernel, client, _) = await StartAsync();
        await using var c = client;
        var ct = Deadline();
        await client.SendAsync(JupyterChannel.Control, client.CreateRequest("shutdown_request"), ct);
        var shutdown = await kernel.ReceiveAsync(JupyterChannel.Control, ct);
        Assert.True(kernel.Send(JupyterChannel.Control, kernel.CreateReply(shutdown, "shutdown_reply", new JsonObject { ["restart"] = false })));
        var ports = kernel.Connection;
        await kernel.DisposeAsync();

        Assert.Equal("shutdown_reply", (await client.ReceiveAsync(JupyterChannel.Control, ct)).MsgType);
        await WaitUntilAsync(() => !client.Shell.IsConnected && !client.IOPub.IsConnected, "the client's connections to close");
        await Assert.ThrowsAsync<ChannelClosedProbe>(async () =>
        {
            await foreach (var _ in kernel.Incoming(JupyterChannel.Shell).ReadAllAsync(ct)) { }
            throw new ChannelClosedProbe();
        });
        // The same ports can be bound again at once.
        await using var again = KernelTransport.Start(ports);
        Assert.Equal(ports.ShellPort, again.Connection.ShellPort);
    }

    [Fact]
    public async Task A_taken_port_names_the_channel_and_endpoint_and_frees_the_others()
    {
        await using var first = KernelTransport.Start(ConnectionInfo.ForLoopback());
        var clash = ConnectionInfo.ForLoopback() with { StdinPort = first.Connection.StdinPort };
        var e = Assert.Throws<ZmtpException>(() => KernelTransport.Start(clash));
        Assert.StartsWith("Stdin channel: cannot bind ROUTER socket to tcp://127.0.0.1:", e.Message);
        Assert.Contains(first.Connection.StdinPort.ToString(), e.Message);
    }

    [Fact]
    public async Task Iopub_subscription_raises_the_event_and_a_throwing_handler_is_contained()
    {
        var log = new StringWriter();
        await using var kernel = KernelTransport.Start(ConnectionInfo.ForLoopback(), log);
        var topics = new System.Collections.Concurrent.ConcurrentQueue<string>();
        kernel.IopubSubscribed += t => topics.Enqueue(Text(t));
        kernel.IopubSubscribed += _ => throw new InvalidOperationException("handler bug");
        await using var client = await KernelClient.ConnectAsync(kernel.Connection, null, Deadline());
        await WaitUntilAsync(() => topics.Count == 1, "the subscription event");
        Assert.Equal("", Assert.Single(topics));
        Assert.Contains("handler bug", log.ToString());
        Assert.Equal(1, kernel.Publish(JupyterMessage.Create("status", new JsonObject { ["execution_state"] = "starting" }, kernel.Session)));
        Assert.Equal("status", (await client.ReceiveAsync(JupyterChannel.IOPub, Deadline())).MsgType);
    }

    [Fact]
    public async Task Send_refuses_a_message_without_identities_and_Incoming_refuses_iopub()
    {
        var log = new StringWriter();
        await using var kernel = KernelTransport.Start(ConnectionInfo.ForLoopback(), log);
        Assert.False(kernel.Send(JupyterChannel.Shell, JupyterMessage.Create("execute_reply", new JsonObject(), kernel.Session)));
        Assert.Contains("no identities", log.ToString());
        Assert.Throws<ArgumentException>(() => kernel.Incoming(JupyterChannel.IOPub));
        Assert.Throws<ArgumentException>(() => kernel.Send(JupyterChannel.IOPub, JupyterMessage.Create("x", new JsonObject(), "s")));
    }

    private sealed class ChannelClosedProbe : Exception;
}
