namespace Course.Notebooks.Execution;

/// <summary>
/// The cell a piece of code belongs to. It flows through an AsyncLocal into everything the cell awaits or starts,
/// so Console writes and display calls on any thread reach the right cell even when sessions run side by side.
/// </summary>
internal sealed class CellContext(Action<CellEvent> sink, CancellationToken cancellation, object session)
{
    private readonly Lock _gate = new();
    private bool _closed;

    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>The session the cell runs in: libraries key per-program state on it (see <see cref="OutputRouter.SessionKey"/>).</summary>
    public object Session { get; } = session;

    /// <summary>Delivers one event; calls are serialized so front ends need no locking. False once the cell has ended.</summary>
    public bool Publish(CellEvent e)
    {
        lock (_gate)
        {
            if (_closed) return false;
            sink(e);
            return true;
        }
    }

    /// <summary>After this, late output from the cell's background work is no longer attributed to it.</summary>
    public void Close()
    {
        lock (_gate) _closed = true;
    }
}
