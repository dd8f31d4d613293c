namespace Course.Notebooks.Kernel;

/// <summary>
/// Console.In for cells: Console.ReadLine() asks the front end through an input_request on stdin. The asker flows
/// with the cell (AsyncLocal), so a cell of another kernel in the same process never gets this kernel's answer.
/// </summary>
internal sealed class KernelInput : TextReader
{
    private static readonly AsyncLocal<Func<string, bool, string>?> CurrentAsker = new();
    private static readonly Lock InstallGate = new();
    private static bool _installed;
    private string? _pending;

    /// <summary>Answers a prompt (prompt, password) with a line; throws when the front end cannot answer.</summary>
    public static Func<string, bool, string>? Asker
    {
        get => CurrentAsker.Value;
        set => CurrentAsker.Value = value;
    }

    public static void EnsureInstalled()
    {
        lock (InstallGate)
        {
            if (_installed) return;
            Console.SetIn(TextReader.Synchronized(new KernelInput()));
            _installed = true;
        }
    }

    public override string? ReadLine()
    {
        if (_pending is { } rest)
        {
            _pending = null;
            return rest.EndsWith('\n') ? rest[..^1] : rest;
        }
        var asker = Asker ?? throw new InvalidOperationException("Console input is not available outside a cell run by the kernel");
        return asker("", false);
    }

    public override int Read()
    {
        _pending ??= ReadLine() is { } line ? line + "\n" : null;
        if (_pending is null or "") return -1;
        char c = _pending[0];
        _pending = _pending.Length > 1 ? _pending[1..] : null;
        return c;
    }

    public override int Peek()
    {
        _pending ??= ReadLine() is { } line ? line + "\n" : null;
        return _pending is { Length: > 0 } p ? p[0] : -1;
    }
}
