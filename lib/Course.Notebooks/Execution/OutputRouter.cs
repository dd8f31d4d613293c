using Course.Notebooks.Display;

namespace Course.Notebooks.Execution;

/// <summary>
/// Process-wide plumbing installed once: Console.Out/Error and the "Course.Display" hook route to the current
/// cell (an AsyncLocal), and fall back to the real console outside any cell.
/// </summary>
internal static class OutputRouter
{
    /// <summary>AppContext key of the hook libraries call: Action&lt;object? value, string? displayId, bool isUpdate&gt;.</summary>
    public const string DisplayHookKey = "Course.Display";

    /// <summary>
    /// AppContext key of a Func&lt;object?&gt; giving the running cell's session (null outside cells). Sessions share a
    /// process (the tests, several kernels), so process-wide library state that a program expects to own, such as the
    /// engine's default random generator, is kept per session: the same notebook gives the same numbers alone or not.
    /// </summary>
    public const string SessionKey = "Course.Session";

    /// <summary>AppContext key of a bool: true when a person watches the outputs live (the kernel), false in headless
    /// runs; libraries pick live progress updates or one line per epoch from it.</summary>
    public const string InteractiveKey = "Course.Interactive";

    private static readonly AsyncLocal<CellContext?> CurrentContext = new();
    private static readonly Lock InstallGate = new();
    private static bool _installed;

    public static CellContext? Current
    {
        get => CurrentContext.Value;
        set => CurrentContext.Value = value;
    }

    public static void EnsureInstalled()
    {
        lock (InstallGate)
        {
            if (_installed) return;
            Console.SetOut(new RoutingWriter("stdout", Console.Out));
            Console.SetError(new RoutingWriter("stderr", Console.Error));
            AppContext.SetData(DisplayHookKey, (Action<object?, string?, bool>)DisplayHook);
            AppContext.SetData(SessionKey, (Func<object?>)(() => Current?.Session));
            _installed = true;
        }
    }

    /// <summary>Sends a display to the current cell; outside a cell its text goes to the console.</summary>
    public static void Display(object? value, IReadOnlyCollection<string>? mimeTypes, string? displayId, bool isUpdate)
    {
        var bundle = DisplayFormatter.Format(value, mimeTypes);
        if (Current is { } cell && cell.Publish(new DisplayEvent(bundle, displayId, isUpdate))) return;
        if (bundle.TryGetValue("text/plain", out var text)) Console.Out.WriteLine(text);
    }

    private static void DisplayHook(object? value, string? displayId, bool isUpdate) => Display(value, null, displayId, isUpdate);

    /// <summary>Console writer that turns writes inside a cell into stream events.</summary>
    private sealed class RoutingWriter(string stream, TextWriter fallback) : TextWriter
    {
        public override System.Text.Encoding Encoding => fallback.Encoding;

        public override void Write(char value) => Route(value.ToString());

        public override void Write(string? value)
        {
            if (!string.IsNullOrEmpty(value)) Route(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            if (count > 0) Route(new string(buffer, index, count));
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            if (!buffer.IsEmpty) Route(buffer.ToString());
        }

        public override void WriteLine(string? value) => Route((value ?? "") + "\n");

        public override void WriteLine() => Route("\n");

        public override void Flush() => fallback.Flush();

        private void Route(string text)
        {
            if (Current is { } cell && cell.Publish(new StreamEvent(stream, text))) return;
            fallback.Write(text);
        }
    }
}
