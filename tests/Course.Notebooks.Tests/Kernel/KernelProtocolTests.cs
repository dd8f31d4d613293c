using System.Text;
using System.Text.Json.Nodes;
using Course.Jupyter.Messaging;
using Course.Notebooks.Kernel;

namespace Course.Notebooks.Tests.Kernel;

/// <summary>The kernel's Jupyter messages, driven by the in-process test client.</summary>
[Collection(InProcessKernelCollection.Name)]
public class KernelProtocolTests
{
    private static string Text(JupyterMessage m, string key) => m.Content[key]!.GetValue<string>();

    [Fact]
    public async Task Kernel_info_is_wrapped_in_busy_and_idle_and_names_the_language()
    {
        await using var h = await KernelHarness.StartAsync();
        var (reply, iopub) = await h.RequestAsync("kernel_info_request", new JsonObject());
        Assert.Equal("kernel_info_reply", reply.MsgType);
        Assert.Equal("5.3", Text(reply, "protocol_version"));
        Assert.Equal("course-csharp", Text(reply, "implementation"));
        var language = reply.Content["language_info"]!;
        Assert.Equal("csharp", language["name"]!.GetValue<string>());
        Assert.Equal(".cs", language["file_extension"]!.GetValue<string>());
        Assert.Equal("text/x-csharp", language["mimetype"]!.GetValue<string>());
        Assert.Equal(["busy", "idle"], iopub.Where(m => m.MsgType == "status").Select(m => Text(m, "execution_state")));
    }

    [Fact]
    public async Task Execute_gives_the_result_and_counts_executions()
    {
        await using var h = await KernelHarness.StartAsync();
        var (reply, iopub) = await h.ExecuteAsync("1+1");
        Assert.Equal("ok", Text(reply, "status"));
        Assert.Equal(1, reply.Content["execution_count"]!.GetValue<int>());
        Assert.Equal(["status", "execute_input", "execute_result", "status"], iopub.Select(m => m.MsgType));
        var result = iopub.Single(m => m.MsgType == "execute_result");
        Assert.Equal("2", result.Content["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal(1, result.Content["execution_count"]!.GetValue<int>());

        (reply, _) = await h.ExecuteAsync("var x = 20;");
        Assert.Equal(2, reply.Content["execution_count"]!.GetValue<int>());
        (reply, iopub) = await h.ExecuteAsync("x + 1");
        Assert.Equal(3, reply.Content["execution_count"]!.GetValue<int>());
        Assert.Equal("21", iopub.Single(m => m.MsgType == "execute_result").Content["data"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stdout_and_stderr_stream_while_the_cell_runs()
    {
        await using var h = await KernelHarness.StartAsync();
        var (reply, iopub) = await h.ExecuteAsync("Console.WriteLine(\"hello\"); Console.Error.Write(\"oops\");");
        Assert.Equal("ok", Text(reply, "status"));
        var streams = iopub.Where(m => m.MsgType == "stream").ToList();
        Assert.Equal("hello\n", string.Concat(streams.Where(s => Text(s, "name") == "stdout").Select(s => Text(s, "text"))));
        Assert.Equal("oops", string.Concat(streams.Where(s => Text(s, "name") == "stderr").Select(s => Text(s, "text"))));
    }

    [Fact]
    public async Task Display_and_its_updates_and_the_course_display_hook_use_one_display_id()
    {
        await using var h = await KernelHarness.StartAsync();
        var (reply, iopub) = await h.ExecuteAsync("""
            var handle = display("first");
            handle.Update("second");
            var hook = (Action<object?, string?, bool>)AppContext.GetData("Course.Display")!;
            hook("epoch 1", "progress-1", false);
            hook("epoch 2", "progress-1", true);
            """);
        Assert.Equal("ok", Text(reply, "status"));
        var shown = iopub.Where(m => m.MsgType is "display_data" or "update_display_data").ToList();
        Assert.Equal(["display_data", "update_display_data", "display_data", "update_display_data"], shown.Select(m => m.MsgType));
        string Id(JupyterMessage m) => m.Content["transient"]!["display_id"]!.GetValue<string>();
        Assert.Equal(Id(shown[0]), Id(shown[1]));
        Assert.Equal("progress-1", Id(shown[2]));
        Assert.Equal("progress-1", Id(shown[3]));
        Assert.Contains("epoch 2", shown[3].Content["data"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_exception_gives_an_error_reply_and_the_next_cell_still_works()
    {
        await using var h = await KernelHarness.StartAsync();
        await h.ExecuteAsync("var kept = 41;");
        var (reply, iopub) = await h.ExecuteAsync("int Fail() => throw new InvalidOperationException(\"boom\");\nFail();");
        Assert.Equal("error", Text(reply, "status"));
        Assert.Equal("InvalidOperationException", Text(reply, "ename"));
        Assert.Equal("boom", Text(reply, "evalue"));
        Assert.Equal(2, reply.Content["execution_count"]!.GetValue<int>());
        var error = iopub.Single(m => m.MsgType == "error");
        Assert.Contains(error.Content["traceback"]!.AsArray(), line => line!.GetValue<string>().Contains("line 2", StringComparison.Ordinal));

        var (compileReply, _) = await h.ExecuteAsync("undefinedName + 1");
        Assert.Equal("error", Text(compileReply, "status"));
        Assert.Contains("CS0103", Text(compileReply, "evalue"));

        var (next, nextIo) = await h.ExecuteAsync("kept + 1");
        Assert.Equal("ok", Text(next, "status"));
        Assert.Equal("42", nextIo.Single(m => m.MsgType == "execute_result").Content["data"]!["text/plain"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("var x = 1;", "complete")]
    [InlineData("1 + 1", "complete")]
    [InlineData("for (int i = 0; i < 3; i++) {", "incomplete")]
    [InlineData("var s = \"\"\"\nopen raw string", "incomplete")]
    public async Task Is_complete_uses_roslyns_submission_check(string code, string expected)
    {
        await using var h = await KernelHarness.StartAsync();
        var (reply, _) = await h.RequestAsync("is_complete_request", new JsonObject { ["code"] = code });
        Assert.Equal("is_complete_reply", reply.MsgType);
        Assert.Equal(expected, Text(reply, "status"));
    }

    [Fact]
    public async Task Complete_lists_a_variables_members_and_names_by_prefix()
    {
        await using var h = await KernelHarness.StartAsync();
        await h.ExecuteAsync("var numbers = new List<int> { 1, 2, 3 };\nclass Point { public double Radius; public double Angle() => 0; }");
        var code = "numbers.Co";
        var (reply, _) = await h.RequestAsync("complete_request", new JsonObject { ["code"] = code, ["cursor_pos"] = code.Length });
        Assert.Equal("ok", Text(reply, "status"));
        var matches = reply.Content["matches"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Contains("Count", matches);
        Assert.Contains("Contains", matches);
        Assert.Equal(8, reply.Content["cursor_start"]!.GetValue<int>());
        Assert.Equal(10, reply.Content["cursor_end"]!.GetValue<int>());

        code = "new Point().";
        (reply, _) = await h.RequestAsync("complete_request", new JsonObject { ["code"] = code, ["cursor_pos"] = code.Length });
        matches = reply.Content["matches"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Contains("Radius", matches);
        Assert.Contains("Angle", matches);

        code = "var n = num";
        (reply, _) = await h.RequestAsync("complete_request", new JsonObject { ["code"] = code, ["cursor_pos"] = code.Length });
        matches = reply.Content["matches"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Contains("numbers", matches);

        code = "Poi";
        (reply, _) = await h.RequestAsync("complete_request", new JsonObject { ["code"] = code, ["cursor_pos"] = code.Length });
        Assert.Contains("Point", reply.Content["matches"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public async Task Inspect_shows_the_type_of_the_symbol_under_the_cursor()
    {
        await using var h = await KernelHarness.StartAsync();
        await h.ExecuteAsync("var numbers = new List<int> { 1, 2, 3 };");
        var (reply, _) = await h.RequestAsync("inspect_request", new JsonObject { ["code"] = "numbers", ["cursor_pos"] = 3, ["detail_level"] = 0 });
        Assert.True(reply.Content["found"]!.GetValue<bool>());
        Assert.Contains("List<int> numbers", reply.Content["data"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_message_with_a_bad_signature_is_rejected_and_not_executed()
    {
        await using var h = await KernelHarness.StartAsync();
        var forged = h.Client.CreateRequest("execute_request", new JsonObject { ["code"] = "System.IO.File.WriteAllText(\"forged.txt\", \"x\")" });
        var frames = WireCodec.Encode(forged, new MessageSigner("not-the-key", MessageSigner.Scheme));
        await h.Client.SendFramesAsync(JupyterChannel.Shell, frames);
        var (reply, _) = await h.ExecuteAsync("1");
        Assert.Equal(1, reply.Content["execution_count"]!.GetValue<int>()); // the forged request never counted
        Assert.Equal(1, h.Kernel.Transport.RejectedMessages);
        Assert.False(File.Exists(Path.Combine(h.Directory, "forged.txt")));
    }

    [Fact]
    public async Task Interrupt_stops_a_cancellable_loop_and_keeps_the_state()
    {
        await using var h = await KernelHarness.StartAsync();
        await h.ExecuteAsync("var kept = 7;");
        var run = h.Client.CreateRequest("execute_request", new JsonObject { ["code"] = "while (true) { CancellationToken.ThrowIfCancellationRequested(); System.Threading.Thread.Sleep(10); }", ["silent"] = false });
        await h.Client.SendAsync(JupyterChannel.Shell, run);
        await WaitForBusyAsync(h, run);
        var (interruptReply, _) = await InterruptAsync(h);
        Assert.Equal("ok", Text(interruptReply, "status"));
        var (reply, _) = await h.CollectAsync(run);
        Assert.Equal("error", Text(reply, "status"));
        Assert.Equal("KeyboardInterrupt", Text(reply, "ename"));

        var (next, io) = await h.ExecuteAsync("kept * 6");
        Assert.Equal("42", io.Single(m => m.MsgType == "execute_result").Content["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal("ok", Text(next, "status"));
    }

    [Fact]
    public async Task Interrupt_of_a_cell_that_ignores_cancellation_restarts_the_session_and_says_so()
    {
        await using var h = await KernelHarness.StartAsync();
        await h.ExecuteAsync("var lost = 7;");
        // The loop ends on its own once the test is over (static flag), so no thread spins forever.
        var run = h.Client.CreateRequest("execute_request", new JsonObject { ["code"] = "var until = DateTime.UtcNow.AddSeconds(20); while (DateTime.UtcNow < until) System.Threading.Thread.Sleep(10);", ["silent"] = false });
        await h.Client.SendAsync(JupyterChannel.Shell, run);
        await WaitForBusyAsync(h, run);
        await InterruptAsync(h);
        var (reply, iopub) = await h.CollectAsync(run);
        Assert.Equal("error", Text(reply, "status"));
        var traceback = string.Join("\n", reply.Content["traceback"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("variables were lost", traceback);

        var (next, io) = await h.ExecuteAsync("1 + 2");
        Assert.Equal("ok", Text(next, "status"));
        Assert.Equal("3", io.Single(m => m.MsgType == "execute_result").Content["data"]!["text/plain"]!.GetValue<string>());
        var (gone, _) = await h.ExecuteAsync("lost");
        Assert.Equal("error", Text(gone, "status"));
    }

    [Fact]
    public async Task Console_ReadLine_asks_the_front_end_through_stdin()
    {
        await using var h = await KernelHarness.StartAsync();
        var run = h.Client.CreateRequest("execute_request", new JsonObject { ["code"] = "var name = Console.ReadLine();\n$\"hi {name}\"", ["allow_stdin"] = true });
        await h.Client.SendAsync(JupyterChannel.Shell, run);
        using var timeout = new CancellationTokenSource(KernelHarness.Wait);
        var ask = await h.Client.ReceiveAsync(JupyterChannel.Stdin, timeout.Token);
        Assert.Equal("input_request", ask.MsgType);
        var answer = h.Client.CreateRequest("input_reply", new JsonObject { ["value"] = "Ada" }) with { ParentHeader = ask.Header };
        await h.Client.SendAsync(JupyterChannel.Stdin, answer);
        var (reply, iopub) = await h.CollectAsync(run);
        Assert.Equal("ok", Text(reply, "status"));
        Assert.Contains("hi Ada", iopub.Single(m => m.MsgType == "execute_result").Content["data"]!["text/plain"]!.GetValue<string>());

        var (refused, _) = await h.ExecuteAsync("Console.ReadLine()");
        Assert.Equal("error", Text(refused, "status"));
        Assert.Contains("allow_stdin", Text(refused, "evalue"));
    }

    // Protocol 5.x sends shutdown on control; older clients (and some tools) still send it on shell.
    [Theory]
    [InlineData(JupyterChannel.Control)]
    [InlineData(JupyterChannel.Shell)]
    public async Task Comm_info_is_empty_and_shutdown_replies_on_control_and_shell(JupyterChannel channel)
    {
        await using var h = await KernelHarness.StartAsync();
        var (comms, _) = await h.RequestAsync("comm_info_request", new JsonObject());
        Assert.Empty(comms.Content["comms"]!.AsObject());

        var shutdown = h.Client.CreateRequest("shutdown_request", new JsonObject { ["restart"] = true });
        await h.Client.SendAsync(channel, shutdown);
        using var timeout = new CancellationTokenSource(KernelHarness.Wait);
        var reply = await h.Client.ReceiveAsync(channel, timeout.Token);
        Assert.Equal("shutdown_reply", reply.MsgType);
        Assert.True(reply.Content["restart"]!.GetValue<bool>());
        Assert.True(await h.Kernel.ShutdownRequested.WaitAsync(KernelHarness.Wait));
    }

    [Fact]
    public async Task A_timed_out_cell_ends_with_a_clear_error_and_the_session_goes_on()
    {
        await using var h = await KernelHarness.StartAsync(new KernelOptions { CellTimeout = TimeSpan.FromMilliseconds(500) });
        await h.ExecuteAsync("var kept = 41;");
        var (reply, iopub) = await h.ExecuteAsync("while (true) { CancellationToken.ThrowIfCancellationRequested(); System.Threading.Thread.Sleep(10); }");
        Assert.Equal("error", Text(reply, "status"));
        var error = iopub.Single(m => m.MsgType == "error");
        Assert.Equal("TimeoutError", Text(error, "ename"));
        var traceback = string.Join("\n", error.Content["traceback"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Contains("timed out after 0.5 s", traceback);
        Assert.Contains(KernelOptions.CellTimeoutVariable, traceback);

        (reply, iopub) = await h.ExecuteAsync("kept + 1");
        Assert.Equal("ok", Text(reply, "status"));
        Assert.Equal("42", iopub.Single(m => m.MsgType == "execute_result").Content["data"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public void Cell_timeout_comes_from_the_environment_and_a_bad_value_is_named()
    {
        var before = Environment.GetEnvironmentVariable(KernelOptions.CellTimeoutVariable);
        try
        {
            Environment.SetEnvironmentVariable(KernelOptions.CellTimeoutVariable, "90");
            Assert.Equal(TimeSpan.FromSeconds(90), KernelOptions.FromEnvironment(null).CellTimeout);
            Environment.SetEnvironmentVariable(KernelOptions.CellTimeoutVariable, "soon");
            var e = Assert.Throws<FormatException>(() => KernelOptions.FromEnvironment(null));
            Assert.Contains("COURSE_CELL_TIMEOUT=soon", e.Message);
            Environment.SetEnvironmentVariable(KernelOptions.CellTimeoutVariable, null);
            Assert.Equal(TimeSpan.FromHours(1), KernelOptions.FromEnvironment(null).CellTimeout);
        }
        finally
        {
            Environment.SetEnvironmentVariable(KernelOptions.CellTimeoutVariable, before);
        }
    }

    // A cell that asks for more memory than exists, or churns through a lot of it, fails or finishes on its own:
    // the kernel process and the session's variables survive.
    [Fact]
    public async Task A_cell_that_allocates_a_lot_does_not_kill_the_kernel()
    {
        await using var h = await KernelHarness.StartAsync();
        var (reply, _) = await h.ExecuteAsync("var kept = 41;");
        Assert.Equal("ok", Text(reply, "status"));

        // Longer than Array.MaxLength: refused by the runtime with OutOfMemoryException, as a too-large tensor would be.
        (reply, var iopub) = await h.ExecuteAsync("var huge = new byte[int.MaxValue];");
        Assert.Equal("error", Text(reply, "status"));
        Assert.Equal("OutOfMemoryException", Text(iopub.Single(m => m.MsgType == "error"), "ename"));

        // 1 GB in 8 MB arrays, all dropped at the end of the cell.
        (reply, _) = await h.ExecuteAsync("long total = 0; for (int i = 0; i < 128; i++) { var chunk = new byte[8 << 20]; chunk[^1] = 1; total += chunk.Length; } total");
        Assert.Equal("ok", Text(reply, "status"));

        (reply, iopub) = await h.ExecuteAsync("kept + 1");
        Assert.Equal("ok", Text(reply, "status"));
        Assert.Equal("42", iopub.Single(m => m.MsgType == "execute_result").Content["data"]!["text/plain"]!.GetValue<string>());
    }

    private static async Task WaitForBusyAsync(KernelHarness h, JupyterMessage request)
    {
        using var timeout = new CancellationTokenSource(KernelHarness.Wait);
        while (true)
        {
            var m = await h.Client.ReceiveAsync(JupyterChannel.IOPub, timeout.Token);
            if (m.ParentHeader?.MsgId == request.Header.MsgId && m.MsgType == "execute_input") break;
        }
        await Task.Delay(200); // let the cell start its loop
    }

    private static async Task<(JupyterMessage, List<JupyterMessage>)> InterruptAsync(KernelHarness h)
    {
        var interrupt = h.Client.CreateRequest("interrupt_request");
        await h.Client.SendAsync(JupyterChannel.Control, interrupt);
        using var timeout = new CancellationTokenSource(KernelHarness.Wait);
        var reply = await h.Client.ReceiveAsync(JupyterChannel.Control, timeout.Token);
        Assert.Equal("interrupt_reply", reply.MsgType);
        return (reply, []);
    }
}
