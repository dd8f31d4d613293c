using NetMQ;
using NetMQ.Monitoring;
using NetMQ.Sockets;

namespace Course.Jupyter.Messaging;

/// <summary>
/// One poller thread that owns a set of NetMQ sockets. NetMQ sockets are not thread-safe, so once the loop has
/// started every receive and send runs on its thread; other threads hand sends over with <see cref="Post"/> (in
/// order, without waiting) or <see cref="Invoke{T}"/> (waiting for the result).
/// </summary>
internal sealed class SocketLoop : IDisposable
{
    // A flood on one socket must not starve the others: the poller comes back for the rest.
    private const int MessagesPerWakeUp = 64;
    private static readonly TimeSpan InvokeTimeout = TimeSpan.FromSeconds(10);

    private readonly NetMQPoller _poller = [];
    private readonly List<NetMQSocket> _sockets = [];
    private readonly List<NetMQMonitor> _monitors = [];
    private readonly Action<string> _log;
    private int _state; // 0 adding sockets, 1 running, 2 disposed

    public SocketLoop(Action<string> log) => _log = log;

    /// <summary>Adds a socket before <see cref="Start"/>; <paramref name="onMessage"/> gets each multipart message on the loop's thread.</summary>
    public T Add<T>(T socket, Action<List<byte[]>> onMessage) where T : NetMQSocket
    {
        if (_state != 0) throw new InvalidOperationException("sockets are added before the loop starts");
        _sockets.Add(socket);
        // REQ and REP must send between two receives, so they take one message per wake-up.
        int batch = socket is RequestSocket or ResponseSocket ? 1 : MessagesPerWakeUp;
        socket.ReceiveReady += (_, e) =>
        {
            for (int i = 0; i < batch; i++)
            {
                var frames = new List<byte[]>(8);
                try
                {
                    if (!e.Socket.TryReceiveMultipartBytes(ref frames)) return;
                    onMessage(frames);
                }
                catch (Exception ex)
                {
                    // Nothing may escape onto the poller thread: it would end the process.
                    _log($"receive handler threw {ex.GetType().Name}: {ex.Message}");
                    return;
                }
            }
        };
        _poller.Add(socket);
        return socket;
    }

    /// <summary>Reports TCP connections accepted and lost on a bound socket (NetMQ's socket monitor), before <see cref="Start"/>.</summary>
    public void Monitor(NetMQSocket socket, string name, Action<int> peersChanged)
    {
        var monitor = new NetMQMonitor(socket, $"inproc://course-jupyter-monitor-{Guid.NewGuid():N}",
            SocketEvents.Accepted | SocketEvents.Disconnected);
        monitor.Accepted += (_, e) =>
        {
            peersChanged(+1);
            _log($"{name}: peer connected");
        };
        monitor.Disconnected += (_, _) =>
        {
            peersChanged(-1);
            _log($"{name}: peer disconnected");
        };
        monitor.AttachToPoller(_poller);
        _monitors.Add(monitor);
    }

    public void Start(string threadName)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) throw new InvalidOperationException("the loop has already started");
        _poller.RunAsync(threadName, isBackgroundThread: true);
    }

    /// <summary>Runs <paramref name="action"/> on the loop's thread after everything posted before it.</summary>
    public void Post(Action action)
    {
        if (Volatile.Read(ref _state) == 2) return;
        if (_poller.CanExecuteTaskInline)
        {
            Run(action);
            return;
        }
        Task.Factory.StartNew(() => Run(action), CancellationToken.None, TaskCreationOptions.DenyChildAttach, _poller);
    }

    /// <summary>Runs <paramref name="action"/> on the loop's thread and waits for its result; <paramref name="fallback"/> once the loop is gone.</summary>
    public T Invoke<T>(Func<T> action, T fallback)
    {
        if (Volatile.Read(ref _state) == 2) return fallback;
        if (_poller.CanExecuteTaskInline) return action();
        var task = Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _poller);
        try
        {
            if (task.Wait(InvokeTimeout)) return task.Result;
            _log($"the socket thread did not answer within {InvokeTimeout.TotalSeconds} s");
            return fallback;
        }
        catch (AggregateException e)
        {
            throw e.InnerException ?? e;
        }
    }

    private void Run(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            _log($"socket action threw {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Runs what was posted, stops the thread and closes every socket (each keeps its linger time to flush).</summary>
    public void Dispose()
    {
        int state = Interlocked.Exchange(ref _state, 2);
        if (state == 2) return;
        if (state == 1)
        {
            var drained = Task.Factory.StartNew(() => { }, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _poller);
            if (!_poller.CanExecuteTaskInline) drained.Wait(InvokeTimeout);
            _poller.Stop();
        }
        foreach (var monitor in _monitors)
        {
            monitor.DetachFromPoller();
            monitor.Dispose();
        }
        _poller.Dispose();
        foreach (var socket in _sockets) socket.Dispose();
    }
}
