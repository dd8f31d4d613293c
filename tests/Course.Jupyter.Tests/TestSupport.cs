using System.Net.Sockets;
using Course.Jupyter.Messaging;

namespace Course.Jupyter.Tests;

public static class TestSupport
{
    /// <summary>Every network test gets a bounded time.</summary>
    public static CancellationToken Deadline(int seconds = 10) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    /// <summary>Polls a condition a bounded number of times (the sockets run on another thread).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 5000)
    {
        for (int waited = 0; waited < timeoutMs; waited += 10)
        {
            if (condition()) return;
            await Task.Delay(10);
        }
        Assert.Fail($"timed out after {timeoutMs} ms waiting for {what}");
    }

    /// <summary>A kernel transport on loopback with a client whose five connections and iopub subscription are up.</summary>
    public static async Task<(KernelTransport Kernel, KernelClient Client, StringWriter Log)> StartAsync(string key = "test-key", TransportOptions? options = null)
    {
        var log = new StringWriter();
        var kernel = KernelTransport.Start(ConnectionInfo.ForLoopback(key), log, options);
        var client = new KernelClient(kernel.Connection);
        await WaitUntilAsync(() => kernel.IopubSubscriptions == 1
            && Enum.GetValues<JupyterChannel>().All(ch => kernel.ConnectedPeers(ch) == 1), "the client's five connections and iopub subscription");
        return (kernel, client, log);
    }

    public static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);
    public static string Text(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);

    /// <summary>A TCP connection to a port that has written exactly <paramref name="bytes"/>: what a broken or hostile peer sends.</summary>
    public static async Task<Socket> WriteRawAsync(int port, byte[] bytes, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port, ct);
        await socket.SendAsync(bytes, SocketFlags.None, ct);
        return socket;
    }

    /// <summary>True once the other side has closed the connection (reads reach the end of the stream).</summary>
    public static async Task<bool> IsClosedByPeerAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                if (await socket.ReceiveAsync(buffer, SocketFlags.None, ct) == 0) return true;
            }
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
