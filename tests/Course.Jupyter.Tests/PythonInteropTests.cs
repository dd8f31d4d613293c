using System.Diagnostics;
using System.Text.Json.Nodes;
using Course.Jupyter.Messaging;
using static Course.Jupyter.Tests.TestSupport;

namespace Course.Jupyter.Tests;

/// <summary>Runs only where a python3 with pyzmq (real libzmq) is found; skipped with the reason otherwise.</summary>
public sealed class PythonZmqFactAttribute : FactAttribute
{
    public PythonZmqFactAttribute()
    {
        if (PythonZmq.Executable is null) Skip = "python3 with pyzmq not found: install it with `apt-get install -y python3-zmq` to test interop with libzmq";
    }
}

public static class PythonZmq
{
    private static readonly Lazy<string?> Found = new(() =>
        new[] { "python3", "/usr/bin/python3" }.FirstOrDefault(candidate =>
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo(candidate, ["-c", "import zmq"]) { RedirectStandardError = true, RedirectStandardOutput = true });
                if (p is null) return false;
                if (!p.WaitForExit(10_000)) { p.Kill(); return false; }
                return p.ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }));

    public static string? Executable => Found.Value;

    /// <summary>Whether the found python can import a module.</summary>
    public static bool Has(string module)
    {
        if (Executable is null) return false;
        try
        {
            using var p = Process.Start(new ProcessStartInfo(Executable, ["-c", $"import {module}"]) { RedirectStandardError = true, RedirectStandardOutput = true });
            if (p is null) return false;
            if (!p.WaitForExit(10_000)) { p.Kill(); return false; }
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

/// <summary>Real libzmq (pyzmq) DEALER, SUB and REQ sockets against the kernel transport's NetMQ sockets.</summary>
public class PythonInteropTests
{
    private const string Script = """
        import hashlib, hmac, json, sys, time, uuid
        import zmq

        shell_port, iopub_port, hb_port = map(int, sys.argv[1:4])
        key = sys.argv[4].encode()
        ctx = zmq.Context()

        def sign(parts):
            h = hmac.new(key, digestmod=hashlib.sha256)
            for p in parts:
                h.update(p)
            return h.hexdigest().encode()

        def socket(kind, port, **opts):
            s = ctx.socket(kind)
            s.setsockopt(zmq.LINGER, 1000)
            s.setsockopt(zmq.RCVTIMEO, 5000)
            s.setsockopt(zmq.SNDTIMEO, 5000)
            for name, value in opts.items():
                s.setsockopt(getattr(zmq, name), value)
            s.connect(f"tcp://127.0.0.1:{port}")
            return s

        # DEALER -> the shell ROUTER with a signed Jupyter message; ZMTP heartbeats make libzmq send PINGs.
        dealer = socket(zmq.DEALER, shell_port, IDENTITY=b"py-dealer", HEARTBEAT_IVL=50, HEARTBEAT_TIMEOUT=1500)
        msg_id = str(uuid.uuid4())
        header = json.dumps({"msg_id": msg_id, "session": "py", "username": "py", "date": "2026-01-01T00:00:00.000000Z",
                             "msg_type": "kernel_info_request", "version": "5.3"}).encode()
        parts = [header, b"{}", b"{}", json.dumps({"blob": "x" * 400}).encode()]
        dealer.send_multipart([b"<IDS|MSG>", sign(parts)] + parts)
        reply = dealer.recv_multipart()
        assert reply[0] == b"<IDS|MSG>", reply[0]
        assert reply[1] == sign(reply[2:6]), "signature from C# does not verify in python"
        assert json.loads(reply[3])["msg_id"] == msg_id
        assert json.loads(reply[2])["msg_type"] == "kernel_info_reply"
        print("DEALER ok", flush=True)
        # Longer than the heartbeat timeout: without PONGs libzmq would drop the connection and the reply would be lost.
        time.sleep(2.5)
        dealer.send_multipart([b"<IDS|MSG>", sign(parts)] + parts)
        reply = dealer.recv_multipart()
        assert json.loads(reply[2])["msg_type"] == "kernel_info_reply"
        print("PING ok", flush=True)

        # SUB -> the iopub XPUB: only the subscribed prefix arrives.
        sub = socket(zmq.SUB, iopub_port)
        sub.setsockopt(zmq.SUBSCRIBE, b"kernel.")
        got = sub.recv_multipart()
        assert got[0].startswith(b"kernel.") and got[0].endswith(b".stream"), got[0]
        assert json.loads(got[6])["text"] == "y" * 1000
        print("SUB ok", flush=True)

        # REQ -> the heartbeat REP: an echo with a long frame.
        req = socket(zmq.REQ, hb_port)
        req.send_multipart([b"ping", b"z" * 600])
        assert req.recv_multipart() == [b"ping", b"z" * 600]
        print("REQ ok", flush=True)
        for s in (dealer, sub, req):
            s.close()
        ctx.term()
        """;

    [PythonZmqFact]
    public async Task Libzmq_DEALER_SUB_and_REQ_talk_to_the_kernel_transport()
    {
        var log = new StringWriter();
        await using var kernel = KernelTransport.Start(ConnectionInfo.ForLoopback("interop-key"), log);
        var ct = Deadline(30);

        var scriptPath = Path.Combine(Path.GetTempPath(), $"jup-interop-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(scriptPath, Script, ct);
        using var python = Process.Start(new ProcessStartInfo(PythonZmq.Executable!,
            [scriptPath, kernel.Connection.ShellPort.ToString(), kernel.Connection.IopubPort.ToString(), kernel.Connection.HbPort.ToString(), "interop-key"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = python.StandardOutput.ReadToEndAsync(ct);
        var stderr = python.StandardError.ReadToEndAsync(ct);
        try
        {
            for (int i = 0; i < 2; i++)
            {
                var request = await kernel.ReceiveAsync(JupyterChannel.Shell, ct);
                Assert.Equal("py-dealer", Text(request.Identities[0]));
                Assert.Equal("kernel_info_request", request.MsgType);
                Assert.True(kernel.Send(JupyterChannel.Shell, kernel.CreateReply(request, "kernel_info_reply", new JsonObject { ["status"] = "ok" })));
            }

            await WaitUntilAsync(() => kernel.IopubSubscriptions == 1, "libzmq's subscription", 10_000);
            kernel.Publish(JupyterMessage.Create("other", new JsonObject(), kernel.Session) with { Identities = [Bytes("other.topic")] });
            kernel.Publish(JupyterMessage.Create("stream", new JsonObject { ["name"] = "stdout", ["text"] = new string('y', 1000) }, kernel.Session));

            await python.WaitForExitAsync(ct);
            var output = await stdout;
            Assert.True(python.ExitCode == 0, $"python exited {python.ExitCode}\n{output}\n{await stderr}\nlog:\n{log}");
            Assert.Equal(["DEALER ok", "PING ok", "SUB ok", "REQ ok"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal(0, kernel.RejectedMessages);
            Assert.Equal(1, kernel.HeartbeatsEchoed);
        }
        finally
        {
            if (!python.HasExited) python.Kill();
            File.Delete(scriptPath);
        }
    }
}
