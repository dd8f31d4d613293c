namespace Course.Notebooks.Execution;

public enum CellStatus
{
    Ok,
    CompileError,
    RuntimeError,
    TimedOut,
    Cancelled,
}

/// <summary>How a cell ended. <see cref="Error"/> is set for every status but Ok.</summary>
public sealed record CellResult(CellStatus Status, TimeSpan Elapsed, CellError? Error)
{
    public bool Succeeded => Status == CellStatus.Ok;

    /// <summary>The part of <see cref="Elapsed"/> spent compiling: the runner's own cost for the cell.</summary>
    public TimeSpan CompileElapsed { get; init; }
}

/// <summary>
/// A failed cell. <see cref="Message"/> is one line naming notebook, cell, line and column, e.g.
/// "notebooks/01-x.ipynb: cell 5, line 3, col 12: error CS0103: The name 'foo' does not exist in the current context".
/// Name, Value and Traceback map to a Jupyter error output.
/// </summary>
public sealed record CellError(string Name, string Value, IReadOnlyList<string> Traceback, string Message, int? Line = null, int? Column = null);
