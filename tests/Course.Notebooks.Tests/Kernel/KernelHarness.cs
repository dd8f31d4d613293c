using System.Text.Json.Nodes;
using Course.Jupyter.Messaging;
using Course.Notebooks.Kernel;

namespace Course.Notebooks.Tests.Kernel;

/// <summary>An in-process kernel and a client connected to it, with bounded waits for every message.</summary>
internal sealed class KernelHarness : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private KernelHarness(CourseKernel kernel, KernelClient client, string directory)
    {
        Kernel = kernel;
        Client = client;
        Directory = directory;
    }

    public CourseKernel Kernel { get; }
    public KernelClient Client { get; }
    public string Directory { get; }

    public static async Task<KernelHarness> StartAsync(KernelOptions? options = null)
    {
        var directory = options?.WorkingDirectory ?? TestNotebooks.TempDirectory();
        var kernel = CourseKernel.Start(ConnectionInfo.ForLoopback(), (options ?? new KernelOptions()) with { WorkingDirectory = directory });
        var client = new KernelClient(kernel.Connection);
        var until = DateTime.UtcNow + Wait;
        while (kernel.Transport.IopubSubscriptions == 0 || kernel.Transport.ConnectedPeers(JupyterChannel.Shell) == 0)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("the client never subscribed to iopub");
            await Task.Delay(10);
        }
        var harness = new KernelHarness(kernel, client, directory);
        // Skip the welcome status published on subscription: tests read iopub from their own request on.
        await harness.DrainIopubAsync();
        return harness;
    }

    public async Task DrainIopubAsync()
    {
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        try
        {
            while (true) await Client.ReceiveAsync(JupyterChannel.IOPub, quiet.Token);
        }
        catch (OperationCanceledException) { }
    }

    public async Task<(JupyterMessage Reply, List<JupyterMessage> IoPub)> RequestAsync(string msgType, JsonObject content, JupyterChannel channel = JupyterChannel.Shell)
    {
        var request = Client.CreateRequest(msgType, content);
        await Client.SendAsync(channel, request);
        return await CollectAsync(request, channel);
    }

    /// <summary>The reply to <paramref name="request"/> and its iopub messages up to status idle.</summary>
    public async Task<(JupyterMessage Reply, List<JupyterMessage> IoPub)> CollectAsync(JupyterMessage request, JupyterChannel channel = JupyterChannel.Shell)
    {
        using var timeout = new CancellationTokenSource(Wait);
        var reply = await Client.ReceiveAsync(channel, timeout.Token);
        Assert.Equal(request.Header.MsgId, reply.ParentHeader?.MsgId);
        var iopub = new List<JupyterMessage>();
        while (true)
        {
            var message = await Client.ReceiveAsync(JupyterChannel.IOPub, timeout.Token);
            if (message.ParentHeader?.MsgId != request.Header.MsgId) continue;
            iopub.Add(message);
            if (message.MsgType == "status" && message.Content["execution_state"]?.GetValue<string>() == "idle") break;
        }
        return (reply, iopub);
    }

    public Task<(JupyterMessage Reply, List<JupyterMessage> IoPub)> ExecuteAsync(string code, bool allowStdin = false) =>
        RequestAsync("execute_request", new JsonObject
        {
            ["code"] = code, ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(),
            ["allow_stdin"] = allowStdin, ["stop_on_error"] = true,
        });

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Kernel.DisposeAsync();
    }
}
