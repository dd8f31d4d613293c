using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Course.Jupyter.Messaging;
using NetMQ;
using NetMQ.Sockets;
using static Course.Jupyter.Tests.TestSupport;

namespace Course.Jupyter.Tests;

public class KernelTransportTests
{
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

        kernel.Publish(kernel.CreateBroadcast(received, "status", new JsonObject { ["execution_state"] = "busy" }));
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
        Assert.Equal("again", Text(await client.PingAsync(Bytes("again"), ct)));
        Assert.Equal(2, kernel.HeartbeatsEchoed);
    }

    [Fact]
    public async Task Bad_signature_is_rejected_and_logged_and_a_good_one_passes()
    {
        var (kernel, client, log) = await StartAsync("right-key");
        await using var k = kernel;
        await using var c = client;
        var ct = Deadline();

        var forged = WireCodec.Encode(client.CreateRequest("execute_request", new JsonObject { ["code"] = "rm -rf" }), new MessageSigner("wrong-key"));
        await client.SendFramesAsync(JupyterChannel.Shell, forged, ct);
        await client.SendAsync(JupyterChannel.Shell, client.CreateRequest("kernel_info_request"), ct);

        var delivered = await kernel.ReceiveAsync(JupyterChannel.Shell, ct);
        Assert.Equal("kernel_info_request", delivered.MsgType);
        Assert.Equal(1, kernel.RejectedMessages);
        Assert.Contains("Shell: dropped a message: bad signature", log.ToString());
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

        // A well-formed ZeroMQ message that is not a Jupyter message: logged and dropped.
        await client.SendFramesAsync(JupyterChannel.Shell, [Bytes("just"), Bytes("frames")], ct);
        await WaitUntilAsync(() => kernel.RejectedMessages == 1, "the frames without a delimiter to be rejected");
        Assert.Contains("no <IDS|MSG> delimiter", log.ToString());

        // Garbage instead of a ZMTP greeting (NetMQ reads it as a ZMTP 1.0 peer's frames and keeps the connection),
        // a frame declaring 2^62 bytes after a valid greeting and READY (over MaxMessageBytes: NetMQ closes that one),
        // and a truncated frame from a peer that then goes away.
        using var garbage = await WriteRawAsync(shell, [.. Enumerable.Range(0, 200).Select(i => (byte)(i * 37 + 11))], ct);
        using var huge = await WriteRawAsync(shell, [.. Greeting, .. Ready("DEALER"), 0x02, 0x40, 0, 0, 0, 0, 0, 0, 0], ct);
        Assert.True(await IsClosedByPeerAsync(huge, ct), "a frame over the size limit should cost its sender the connection");
        using (var truncated = await WriteRawAsync(shell, [.. Greeting, .. Ready("DEALER"), 0x00, 100, 1, 2, 3], ct)) { }

        await client.SendAsync(JupyterChannel.Shell, client.CreateRequest("kernel_info_request"), ct);
        var received = await kernel.ReceiveAsync(JupyterChannel.Shell, ct);
        Assert.Equal("kernel_info_request", received.MsgType);
        Assert.True(kernel.Send(JupyterChannel.Shell, kernel.CreateReply(received, "kernel_info_reply", new JsonObject())));
        Assert.Equal("kernel_info_reply", (await client.ReceiveAsync(JupyterChannel.Shell, ct)).MsgType);
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
    public async Task Dispose_flushes_queued_replies_ends_the_queues_and_frees_the_ports()
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
        await foreach (var _ in kernel.Incoming(JupyterChannel.Shell).ReadAllAsync(ct)) Assert.Fail("a disposed transport delivered a message");
        Assert.False(kernel.Send(JupyterChannel.Shell, shutdown.CreateReply("late_reply", new JsonObject(), kernel.Session)));
        // NetMQ closes its listeners on its own I/O thread, so the ports come free shortly after.
        foreach (var port in new[] { ports.ShellPort, ports.IopubPort, ports.StdinPort, ports.ControlPort, ports.HbPort })
            await WaitUntilAsync(() => CanBind(port), $"port {port} to be free");
        await using var again = KernelTransport.Start(ports);
        Assert.Equal(ports.ShellPort, again.Connection.ShellPort);
    }

    [Fact]
    public async Task A_taken_port_names_the_channel_and_endpoint_and_frees_the_others()
    {
        await using var first = KernelTransport.Start(ConnectionInfo.ForLoopback());
        var clash = ConnectionInfo.ForLoopback() with { ShellPort = FreePort(), StdinPort = first.Connection.StdinPort };
        var e = Assert.Throws<KernelTransportException>(() => KernelTransport.Start(clash));
        Assert.StartsWith("Stdin channel: cannot bind RouterSocket to tcp://127.0.0.1:", e.Message);
        Assert.Contains(first.Connection.StdinPort.ToString(), e.Message);
        // The shell port, bound before the clash, is released again.
        await WaitUntilAsync(() => CanBind(clash.ShellPort), $"port {clash.ShellPort} to be free");
    }

    [Fact]
    public async Task Iopub_subscription_raises_the_event_and_a_throwing_handler_is_contained()
    {
        var log = new StringWriter();
        await using var kernel = KernelTransport.Start(ConnectionInfo.ForLoopback(), log);
        var topics = new System.Collections.Concurrent.ConcurrentQueue<string>();
        kernel.IopubSubscribed += t => topics.Enqueue(Text(t));
        kernel.IopubSubscribed += _ => throw new InvalidOperationException("handler bug");
        await using var client = new KernelClient(kernel.Connection);
        await WaitUntilAsync(() => topics.Count == 1, "the subscription event");
        Assert.Equal("", Assert.Single(topics));
        Assert.Contains("handler bug", log.ToString());
        kernel.Publish(JupyterMessage.Create("status", new JsonObject { ["execution_state"] = "starting" }, kernel.Session));
        Assert.Equal("status", (await client.ReceiveAsync(JupyterChannel.IOPub, Deadline())).MsgType);

        // A second client gets its own event (each one waits for a welcome status); leaving clears the count.
        await using (var second = new KernelClient(kernel.Connection))
        {
            await WaitUntilAsync(() => topics.Count == 2 && kernel.IopubSubscriptions == 2, "the second subscription");
        }
        await client.DisposeAsync();
        await WaitUntilAsync(() => kernel.IopubSubscriptions == 0, "both subscriptions to end");
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

    [Fact]
    public async Task Two_clients_each_get_only_their_own_replies_and_an_unknown_identity_is_dropped_and_logged()
    {
        var (kernel, first, log) = await StartAsync();
        await using var k = kernel;
        await using var a = first;
        await using var second = new KernelClient(kernel.Connection);
        var ct = Deadline();

        foreach (var client in new[] { first, second })
        {
            await client.SendAsync(JupyterChannel.Shell, client.CreateRequest("kernel_info_request"), ct);
            var request = await kernel.ReceiveAsync(JupyterChannel.Shell, ct);
            Assert.Equal(client.Session, Text(request.Identities[0]));
            Assert.True(kernel.Send(JupyterChannel.Shell, kernel.CreateReply(request, "kernel_info_reply", new JsonObject { ["for"] = client.Session })));
        }
        Assert.Equal(first.Session, (string)(await first.ReceiveAsync(JupyterChannel.Shell, ct)).Content["for"]!);
        Assert.Equal(second.Session, (string)(await second.ReceiveAsync(JupyterChannel.Shell, ct)).Content["for"]!);

        var stray = JupyterMessage.Create("execute_reply", new JsonObject(), kernel.Session) with { Identities = [Bytes("nobody")] };
        Assert.False(kernel.Send(JupyterChannel.Shell, stray));
        Assert.Contains($"Shell: no client with identity {Convert.ToHexString(Bytes("nobody"))}; execute_reply dropped", log.ToString());
    }

    [Fact]
    public async Task A_client_reconnecting_with_its_identity_takes_over_the_replies()
    {
        var log = new StringWriter();
        await using var kernel = KernelTransport.Start(ConnectionInfo.ForLoopback(), log);
        var ct = Deadline();
        var session = Guid.NewGuid().ToString();
        await using var old = new KernelClient(kernel.Connection, session: session);
        await old.SendAsync(JupyterChannel.Shell, old.CreateRequest("kernel_info_request"), ct);
        var request = await kernel.ReceiveAsync(JupyterChannel.Shell, ct);

        await using var reconnected = new KernelClient(kernel.Connection, session: session);
        await reconnected.SendAsync(JupyterChannel.Shell, reconnected.CreateRequest("kernel_info_request"), ct);
        await kernel.ReceiveAsync(JupyterChannel.Shell, ct);
        Assert.True(kernel.Send(JupyterChannel.Shell, kernel.CreateReply(request, "kernel_info_reply", new JsonObject())));
        Assert.Equal("kernel_info_reply", (await reconnected.ReceiveAsync(JupyterChannel.Shell, ct)).MsgType);
    }

    [Fact]
    public async Task Long_messages_travel_both_ways()
    {
        var (kernel, client, _) = await StartAsync();
        await using var k = kernel;
        await using var c = client;
        var ct = Deadline(20);
        var big = new string('x', 4 << 20);

        await client.SendAsync(JupyterChannel.Shell, client.CreateRequest("execute_request", new JsonObject { ["code"] = big }), ct);
        var request = await kernel.ReceiveAsync(JupyterChannel.Shell, ct);
        Assert.Equal(big, (string)request.Content["code"]!);
        kernel.Publish(kernel.CreateBroadcast(request, "display_data", new JsonObject { ["data"] = new JsonObject { ["text/plain"] = big } }));
        Assert.Equal(big, (string)(await client.ReceiveAsync(JupyterChannel.IOPub, ct)).Content["data"]!["text/plain"]!);
    }

    [Fact]
    public async Task An_iopub_subscriber_that_never_reads_blocks_neither_the_kernel_nor_other_clients()
    {
        var (kernel, client, _) = await StartAsync(options: TransportOptions.Default with { SendHighWaterMark = 10 });
        await using var k = kernel;
        await using var c = client;
        var ct = Deadline(30);
        using var stalled = new SubscriberSocket();
        stalled.Options.ReceiveHighWatermark = 1;
        stalled.SubscribeToAnyTopic();
        stalled.Connect($"tcp://127.0.0.1:{kernel.Connection.IopubPort}");
        await WaitUntilAsync(() => kernel.IopubSubscriptions == 2, "the stalled subscriber's subscription");

        // About 30 MB for the stalled peer: far beyond its socket buffers and queue, so most of it is dropped.
        var chunk = new string('y', 64 << 10);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 500; i++)
            kernel.Publish(JupyterMessage.Create("stream", new JsonObject { ["name"] = "stdout", ["text"] = chunk }, kernel.Session));

        // The reading client catches up (it may have lost some of the burst to its own queue limit, as any ZeroMQ
        // subscriber would), and requests are still answered.
        bool caughtUp = false;
        for (int attempt = 0; attempt < 100 && !caughtUp; attempt++)
        {
            kernel.Publish(JupyterMessage.Create("status", new JsonObject { ["execution_state"] = "idle" }, kernel.Session));
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(200);
            try
            {
                while (!caughtUp) caughtUp = (await client.ReceiveAsync(JupyterChannel.IOPub, wait.Token)).MsgType == "status";
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
        }
        Assert.True(caughtUp, "the reading client never got a message after the burst");
        await client.SendAsync(JupyterChannel.Shell, client.CreateRequest("kernel_info_request"), ct);
        var request = await kernel.ReceiveAsync(JupyterChannel.Shell, ct);
        Assert.True(kernel.Send(JupyterChannel.Shell, kernel.CreateReply(request, "kernel_info_reply", new JsonObject())));
        Assert.Equal("kernel_info_reply", (await client.ReceiveAsync(JupyterChannel.Shell, ct)).MsgType);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    // ZMTP 3.0 greeting (NULL mechanism, as-server 0) and a READY command, written by hand for the raw-peer tests.
    private static readonly byte[] Greeting = [0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, 0, .. "NULL"u8, .. new byte[16], 0, .. new byte[31]];

    private static byte[] Ready(string socketType)
    {
        byte[] body = [5, .. "READY"u8, 11, .. "Socket-Type"u8, 0, 0, 0, (byte)socketType.Length, .. System.Text.Encoding.ASCII.GetBytes(socketType)];
        return [0x04, (byte)body.Length, .. body];
    }

    private static bool CanBind(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
