using Microsoft.CodeAnalysis.Scripting;

namespace Course.Notebooks.Execution;

/// <summary>
/// A cell compiled by <see cref="NotebookSession.Compile"/>, ready to run. Compiling is independent of running,
/// so a runner can compile the next cell while the current one runs.
/// </summary>
public sealed class CompiledCell
{
    internal CompiledCell(string label, Script<object>? script, Script? previous, bool hasValue, CellError? error, TimeSpan elapsed)
    {
        Label = label;
        Script = script;
        Previous = previous;
        HasValue = hasValue;
        Error = error;
        Elapsed = elapsed;
    }

    public string Label { get; }

    /// <summary>Set when the cell does not compile; running it then just reports this error.</summary>
    public CellError? Error { get; }

    /// <summary>Time spent compiling.</summary>
    public TimeSpan Elapsed { get; }

    internal Script<object>? Script { get; }

    /// <summary>The script this one continues: the session's state must be at it when the cell runs.</summary>
    internal Script? Previous { get; }

    internal bool HasValue { get; }
}
