using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Course.Jupyter.Messaging;
using Course.Notebooks.Execution;

namespace Course.Notebooks.Kernel;

/// <summary>
/// The course's Jupyter kernel: Jupyter messages in, the runner's execution core (<see cref="NotebookSession"/>)
/// underneath. Shell requests run one at a time; control (interrupt, shutdown) is served while a cell runs.
/// </summary>
public sealed class CourseKernel : IAsyncDisposable
{
    public const string Implementation = "course-csharp";

    private readonly KernelTransport _transport;
    private readonly KernelOptions _options;
    private readonly Action<string> _log;
    private readonly TestProfileInjector? _testProfile;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<bool> _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _interruptGate = new();
    private readonly Task _shellLoop;
    private readonly Task _controlLoop;
    private NotebookSession _session;
    private CancellationTokenSource? _running;
    private int _executionCount;

    private CourseKernel(KernelTransport transport, KernelOptions options)
    {
        _transport = transport;
        _options = options;
        var log = options.Log is null ? null : TextWriter.Synchronized(options.Log);
        _log = log is null ? _ => { } : text => log.WriteLine($"[kernel] {text}");
        _session = NewSession();
        if (options.TestMode) _testProfile = new TestProfileInjector(options, _log);
        // Clients wait for an iopub message before they treat the kernel as ready.
        transport.IopubSubscribed += _ => Publish(null, "status", new JsonObject { ["execution_state"] = "idle" });
        _shellLoop = Task.Run(() => ChannelLoopAsync(JupyterChannel.Shell));
        _controlLoop = Task.Run(() => ChannelLoopAsync(JupyterChannel.Control));
    }

    /// <summary>Binds the connection's ports (0 = pick) and starts serving. The course's display hook and Console.In are installed process-wide.</summary>
    public static CourseKernel Start(ConnectionInfo connection, KernelOptions options)
    {
        // Libraries redraw live progress instead of printing a line per epoch.
        AppContext.SetData(OutputRouter.InteractiveKey, true);
        _ = ScriptEnvironment.WarmUpAsync();
        KernelInput.EnsureInstalled();
        var transport = KernelTransport.Start(connection, options.Log);
        return new CourseKernel(transport, options);
    }

    /// <summary>The connection as bound (real ports): what a client connects to.</summary>
    public ConnectionInfo Connection => _transport.Connection;

    /// <summary>The transport, for diagnostics and tests (subscriptions, rejected messages).</summary>
    public KernelTransport Transport => _transport;

    /// <summary>Completes with the restart flag when a client asks the kernel to shut down.</summary>
    public Task<bool> ShutdownRequested => _shutdown.Task;

    /// <summary>Serves until shutdown, Ctrl+C handling SIGINT as an interrupt (signal mode) meanwhile.</summary>
    public static async Task<int> RunAsync(string connectionFile, KernelOptions options, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        await using var kernel = Start(ConnectionInfo.Load(connectionFile), options);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true; // Jupyter's signal interrupt mode: stop the cell, keep the kernel
            kernel.Interrupt();
        });
        kernel._log($"listening on {kernel.Connection.Ip} shell {kernel.Connection.ShellPort} after {clock.ElapsedMilliseconds} ms");
        var restart = await kernel.ShutdownRequested.WaitAsync(cancellationToken).ConfigureAwait(false);
        kernel._log($"shutdown (restart: {restart})");
        return 0;
    }

    /// <summary>Cancels the running cell, if any. Cells that watch CancellationToken stop at once; others get a grace period.</summary>
    public void Interrupt()
    {
        lock (_interruptGate) _running?.Cancel();
    }

    private NotebookSession NewSession() =>
        new(new SessionOptions(_options.NotebookPath is { } path ? Path.GetFileName(path) : "notebook", _options.WorkingDirectory)
        {
            CellTimeout = _options.CellTimeout,
            TimeoutHint = $"interrupt sooner, or raise it with the environment variable {KernelOptions.CellTimeoutVariable}=SECONDS",
        });

    /// <summary>Handles one channel's requests in order. A failed shell loop ends the kernel (nothing could run cells).</summary>
    private async Task ChannelLoopAsync(JupyterChannel channel)
    {
        try
        {
            await foreach (var request in _transport.Incoming(channel).ReadAllAsync(_stop.Token))
                await HandleAsync(channel, request).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        catch (Exception e)
        {
            _log($"{channel.ToString().ToLowerInvariant()} loop failed: {e}");
            if (channel == JupyterChannel.Shell) _shutdown.TrySetResult(false);
        }
    }

    private async Task HandleAsync(JupyterChannel channel, JupyterMessage request)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            switch (request.MsgType)
            {
                case "execute_request":
                    await ExecuteAsync(channel, request).ConfigureAwait(false);
                    break;
                case "kernel_info_request":
                    Busy(request, () => Reply(channel, request, "kernel_info_reply", KernelInfo()));
                    break;
                case "is_complete_request":
                    Busy(request, () => Reply(channel, request, "is_complete_reply", KernelIntrospection.IsComplete(Code(request))));
                    break;
                case "complete_request":
                    Busy(request, () => Reply(channel, request, "complete_reply",
                        KernelIntrospection.Complete(_session, Code(request), CursorPos(request))));
                    break;
                case "inspect_request":
                    Busy(request, () => Reply(channel, request, "inspect_reply",
                        KernelIntrospection.Inspect(_session, Code(request), CursorPos(request))));
                    break;
                case "comm_info_request":
                    Busy(request, () => Reply(channel, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() }));
                    break;
                case "history_request":
                    Busy(request, () => Reply(channel, request, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() }));
                    break;
                case "interrupt_request":
                    Interrupt();
                    Reply(channel, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                    break;
                case "shutdown_request":
                    var restart = request.Content["restart"]?.GetValue<bool>() ?? false;
                    Interrupt();
                    Reply(channel, request, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
                    Publish(request, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
                    _shutdown.TrySetResult(restart);
                    break;
                case "comm_open":
                    // No comms (widgets): close it so the front end does not wait for one.
                    Publish(request, "comm_close", new JsonObject { ["comm_id"] = request.Content["comm_id"]?.DeepClone(), ["data"] = new JsonObject() });
                    break;
                case "comm_msg" or "comm_close":
                    break;
                default:
                    _log($"{channel}: {request.MsgType} is not supported; ignored");
                    break;
            }
        }
        catch (Exception e)
        {
            // A kernel bug must not take the kernel down: report it to the asker.
            _log($"{channel}: {request.MsgType} failed: {e}");
            var replyType = request.MsgType.EndsWith("_request", StringComparison.Ordinal) ? request.MsgType[..^"_request".Length] + "_reply" : null;
            if (replyType is not null)
                Reply(channel, request, replyType, new JsonObject
                {
                    ["status"] = "error", ["ename"] = e.GetType().Name, ["evalue"] = e.Message, ["traceback"] = new JsonArray((JsonNode)e.ToString()),
                });
        }
        _log($"{channel}: {request.MsgType} in {clock.Elapsed.TotalMilliseconds:0.0} ms");
    }

    private async Task ExecuteAsync(JupyterChannel channel, JupyterMessage request)
    {
        var code = Code(request);
        bool silent = request.Content["silent"]?.GetValue<bool>() ?? false;
        bool storeHistory = !silent && (request.Content["store_history"]?.GetValue<bool>() ?? true);
        bool allowStdin = request.Content["allow_stdin"]?.GetValue<bool>() ?? false;
        SetStatus(request, "busy");
        try
        {
            if (storeHistory) _executionCount++;
            int count = _executionCount;
            if (!silent) Publish(request, "execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count });

            var error = string.IsNullOrWhiteSpace(code) ? null : await RunCellAsync(request, code, $"In [{count}]", silent, allowStdin).ConfigureAwait(false);
            if (error is null && _testProfile?.After(code) is { } injected)
            {
                _log($"test mode: injecting {Path.GetFileName(injected.Notebook)}'s test_parameters");
                error = await RunCellAsync(request, injected.Code, "injected-parameters cell", silent: true, allowStdin: false).ConfigureAwait(false);
            }

            if (error is null)
            {
                Reply(channel, request, "execute_reply", new JsonObject
                {
                    ["status"] = "ok", ["execution_count"] = count, ["payload"] = new JsonArray(), ["user_expressions"] = new JsonObject(),
                });
                return;
            }
            var content = new JsonObject
            {
                ["ename"] = error.Value.Name, ["evalue"] = error.Value.Value,
                ["traceback"] = new JsonArray(error.Value.Traceback.Select(t => (JsonNode)t).ToArray()),
            };
            if (!silent) Publish(request, "error", content.DeepClone().AsObject());
            content["status"] = "error";
            content["execution_count"] = count;
            Reply(channel, request, "execute_reply", content);
        }
        finally
        {
            SetStatus(request, "idle");
        }
    }

    /// <summary>Runs code in the session, streaming its events to iopub; null when it succeeded, else the error to report.</summary>
    private async Task<(string Name, string Value, IReadOnlyList<string> Traceback)?> RunCellAsync(JupyterMessage request, string code, string label, bool silent, bool allowStdin)
    {
        // Per cell, as the runner sets it per run: libraries redraw live progress in a kernel.
        AppContext.SetData(OutputRouter.InteractiveKey, true);
        using var running = new CancellationTokenSource();
        lock (_interruptGate) _running = running;
        KernelInput.Asker = allowStdin
            ? (prompt, password) => AskInput(request, prompt, password, running.Token)
            : (_, _) => throw new InvalidOperationException("Console.ReadLine: this front end does not accept input (allow_stdin is false); set the value in the cell instead");
        CellResult result;
        try
        {
            result = await _session.ExecuteAsync(code, label, e => OnEvent(request, e, silent), cancellationToken: running.Token).ConfigureAwait(false);
        }
        finally
        {
            lock (_interruptGate) _running = null;
            KernelInput.Asker = null;
        }
        if (result.Error is not { } error) return null;

        var traceback = error.Traceback.ToList();
        bool restarted = _session.IsBroken;
        if (restarted)
        {
            // The cell ignored its CancellationToken and may still run: its state cannot be trusted any more.
            _session = NewSession();
            _executionCount = 0;
            traceback.Add("The cell did not stop within its grace period, so the kernel started a fresh session: " +
                          "all variables were lost. Run the notebook's cells again from the top. " +
                          "(Long loops that check CancellationToken stop cleanly and keep the state.)");
            _log($"{label} did not stop; session restarted");
        }
        // Front ends show only the traceback, so it names the interrupt itself.
        if (result.Status == CellStatus.Cancelled)
            traceback.Insert(0, restarted ? "KeyboardInterrupt: the cell was interrupted" : "KeyboardInterrupt: the cell was interrupted; the kernel kept its variables");
        var name = result.Status == CellStatus.Cancelled ? "KeyboardInterrupt" : error.Name;
        var value = result.Status == CellStatus.Cancelled ? "interrupted" : error.Value;
        if (restarted) value += " (state lost: the kernel restarted its session)";
        return (name, value, traceback);
    }

    private string AskInput(JupyterMessage parent, string prompt, bool password, CancellationToken cancellation)
    {
        var ask = _transport.CreateReply(parent, "input_request", new JsonObject { ["prompt"] = prompt, ["password"] = password });
        if (!_transport.Send(JupyterChannel.Stdin, ask)) throw new InvalidOperationException("Console.ReadLine: the front end's stdin channel is not connected");
        while (true)
        {
            var answer = _transport.ReceiveAsync(JupyterChannel.Stdin, cancellation).AsTask().GetAwaiter().GetResult();
            if (answer.MsgType == "input_reply") return answer.Content["value"]?.GetValue<string>() ?? "";
            _log($"stdin: unexpected {answer.MsgType} while waiting for input_reply; ignored");
        }
    }

    private void OnEvent(JupyterMessage request, CellEvent e, bool silent)
    {
        if (silent) return;
        switch (e)
        {
            case StreamEvent stream:
                Publish(request, "stream", new JsonObject { ["name"] = stream.Name, ["text"] = stream.Text });
                break;
            case DisplayEvent display:
                var content = new JsonObject { ["data"] = display.Data.ToJson(textAsLines: false), ["metadata"] = new JsonObject() };
                content["transient"] = display.DisplayId is { } id ? new JsonObject { ["display_id"] = id } : new JsonObject();
                Publish(request, display.IsUpdate ? "update_display_data" : "display_data", content);
                break;
            case ResultEvent result:
                Publish(request, "execute_result", new JsonObject
                {
                    ["execution_count"] = _executionCount, ["data"] = result.Data.ToJson(textAsLines: false), ["metadata"] = new JsonObject(),
                });
                break;
        }
    }

    private static JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = Header.ProtocolVersion,
        ["implementation"] = Implementation,
        ["implementation_version"] = typeof(CourseKernel).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        ["language_info"] = KernelSpec.LanguageInfo(),
        ["banner"] = $"C# (Course) kernel on .NET {Environment.Version}: Roslyn scripting, the course's execution core",
        ["help_links"] = new JsonArray(),
        ["debugger"] = false,
    };

    private static string Code(JupyterMessage request) => request.Content["code"]?.GetValue<string>() ?? "";

    private static int CursorPos(JupyterMessage request) =>
        request.Content["cursor_pos"]?.GetValue<int>() ?? CodePoints.FromUtf16(Code(request), Code(request).Length);

    private void Busy(JupyterMessage request, Action handle)
    {
        SetStatus(request, "busy");
        try
        {
            handle();
        }
        finally
        {
            SetStatus(request, "idle");
        }
    }

    private void SetStatus(JupyterMessage request, string state) => Publish(request, "status", new JsonObject { ["execution_state"] = state });

    private void Publish(JupyterMessage? parent, string msgType, JsonObject content) => _transport.Publish(_transport.CreateBroadcast(parent, msgType, content));

    private void Reply(JupyterChannel channel, JupyterMessage request, string msgType, JsonObject content)
    {
        if (!_transport.Send(channel, _transport.CreateReply(request, msgType, content)))
            _log($"{channel}: could not route {msgType} to its client");
    }

    public async ValueTask DisposeAsync()
    {
        Interrupt();
        _stop.Cancel();
        await Task.WhenAll(_shellLoop, _controlLoop).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
