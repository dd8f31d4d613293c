using System.Diagnostics;
using System.Text.Json.Nodes;
using Course.Jupyter.Messaging;
using static Course.Jupyter.Tests.TestSupport;

namespace Course.Jupyter.Tests;

/// <summary>Runs only where python3 can import jupyter_client (Debian: python3-jupyter-client).</summary>
public sealed class JupyterClientFactAttribute : FactAttribute
{
    public JupyterClientFactAttribute()
    {
        if (PythonZmq.Executable is null || !PythonZmq.Has("jupyter_client"))
        {
            Skip = "python3 with jupyter_client not found: install it with `apt-get install -y python3-jupyter-client`";
        }
    }
}

/// <summary>
/// The real Jupyter client (jupyter_client's BlockingKernelClient) against our transport, with a scripted
/// kernel loop standing in for the execution core: signatures, dates, identities, iopub topics and the
/// shell/stdin identity sharing all have to match what Jupyter expects.
/// </summary>
public class JupyterClientInteropTests
{
    private const string Script = """
        import json, sys
        from jupyter_client import BlockingKernelClient

        kc = BlockingKernelClient(connection_file=sys.argv[1])
        kc.load_connection_file()
        kc.start_channels()
        kc.wait_for_ready(timeout=10)
        print("ready", flush=True)

        outputs = []
        reply = kc.execute_interactive("1+1", timeout=10, output_hook=lambda m: outputs.append(m))
        assert reply["content"]["status"] == "ok", reply
        assert reply["content"]["execution_count"] == 1
        kinds = [m["msg_type"] for m in outputs]
        assert kinds == ["status", "execute_input", "stream", "execute_result", "status"], kinds
        assert outputs[3]["content"]["data"]["text/plain"] == "2"
        print("execute", flush=True)

        reply = kc.execute_interactive("input", timeout=10, allow_stdin=True, stdin_hook=lambda m: kc.input("42"),
                                       output_hook=lambda m: outputs.append(m))
        assert reply["content"]["status"] == "ok"
        assert outputs[-2]["content"]["text"] == "got 42\n", outputs[-2]
        print("stdin", flush=True)

        kc.control_channel.send(kc.session.msg("interrupt_request", {}))
        reply = kc.get_control_msg(timeout=5)
        assert reply["msg_type"] == "interrupt_reply"
        reply = kc.shutdown(reply=True, timeout=5)
        assert reply["msg_type"] == "shutdown_reply", reply
        print("control", flush=True)

        import time
        time.sleep(1.5)  # the heartbeat thread pings every second; is_beating needs a recent echo
        assert kc.hb_channel.is_beating()
        print("heartbeat", flush=True)
        kc.stop_channels()
        """;

    [JupyterClientFact]
    public async Task Jupyter_client_talks_to_the_transport()
    {
        var log = new StringWriter();
        await using var kernel = KernelTransport.Start(ConnectionInfo.ForLoopback() with { KernelName = "csharp-test" }, log);
        var ct = Deadline(40);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var shell = Task.Run(() => ServeShellAsync(kernel, stop.Token));
        var control = Task.Run(() => ServeControlAsync(kernel, stop.Token));

        var dir = Path.Combine(Path.GetTempPath(), $"jup-client-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var connectionFile = Path.Combine(dir, "kernel.json");
        var scriptPath = Path.Combine(dir, "client.py");
        kernel.Connection.Save(connectionFile);
        await File.WriteAllTextAsync(scriptPath, Script, ct);
        using var python = Process.Start(new ProcessStartInfo(PythonZmq.Executable!, [scriptPath, connectionFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var stdout = python.StandardOutput.ReadToEndAsync(ct);
            var stderr = python.StandardError.ReadToEndAsync(ct);
            await python.WaitForExitAsync(ct);
            var output = await stdout;
            Assert.True(python.ExitCode == 0, $"python exited {python.ExitCode}\n{output}\n{await stderr}\nlog:\n{log}");
            Assert.Equal(["ready", "execute", "stdin", "control", "heartbeat"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal(0, kernel.RejectedMessages);
            Assert.True(kernel.HeartbeatsEchoed > 0, "jupyter_client's heartbeat thread should have been echoed");
        }
        finally
        {
            if (!python.HasExited) python.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(shell, control).ContinueWith(_ => { });
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task ServeShellAsync(KernelTransport kernel, CancellationToken ct)
    {
        int count = 0;
        await foreach (var request in kernel.Incoming(JupyterChannel.Shell).ReadAllAsync(ct))
        {
            kernel.Publish(kernel.CreateBroadcast(request, "status", new JsonObject { ["execution_state"] = "busy" }));
            if (request.MsgType == "kernel_info_request")
            {
                kernel.Send(JupyterChannel.Shell, kernel.CreateReply(request, "kernel_info_reply", new JsonObject
                {
                    ["status"] = "ok",
                    ["protocol_version"] = "5.3",
                    ["implementation"] = "test",
                    ["implementation_version"] = "0",
                    ["language_info"] = new JsonObject { ["name"] = "csharp", ["version"] = "14", ["file_extension"] = ".cs" },
                    ["banner"] = "",
                }));
            }
            else if (request.MsgType == "execute_request")
            {
                var code = (string)request.Content["code"]!;
                count++;
                kernel.Publish(kernel.CreateBroadcast(request, "execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }));
                string text;
                if (code == "input")
                {
                    kernel.Send(JupyterChannel.Stdin, kernel.CreateReply(request, "input_request", new JsonObject { ["prompt"] = "? ", ["password"] = false }));
                    var answer = await kernel.ReceiveAsync(JupyterChannel.Stdin, ct);
                    text = $"got {(string)answer.Content["value"]!}\n";
                }
                else
                {
                    text = "computing\n";
                    kernel.Publish(kernel.CreateBroadcast(request, "stream", new JsonObject { ["name"] = "stdout", ["text"] = text }));
                    text = "";
                    kernel.Publish(kernel.CreateBroadcast(request, "execute_result", new JsonObject
                    {
                        ["execution_count"] = count,
                        ["data"] = new JsonObject { ["text/plain"] = "2" },
                        ["metadata"] = new JsonObject(),
                    }));
                }
                if (text.Length > 0) kernel.Publish(kernel.CreateBroadcast(request, "stream", new JsonObject { ["name"] = "stdout", ["text"] = text }));
                kernel.Send(JupyterChannel.Shell, kernel.CreateReply(request, "execute_reply", new JsonObject
                {
                    ["status"] = "ok",
                    ["execution_count"] = count,
                    ["user_expressions"] = new JsonObject(),
                }));
            }
            kernel.Publish(kernel.CreateBroadcast(request, "status", new JsonObject { ["execution_state"] = "idle" }));
        }
    }

    private static async Task ServeControlAsync(KernelTransport kernel, CancellationToken ct)
    {
        await foreach (var request in kernel.Incoming(JupyterChannel.Control).ReadAllAsync(ct))
        {
            kernel.Send(JupyterChannel.Control, kernel.CreateReply(request, request.MsgType.Replace("_request", "_reply"), new JsonObject { ["status"] = "ok" }));
        }
    }
}
