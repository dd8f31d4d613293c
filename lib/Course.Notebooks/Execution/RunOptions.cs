using Course.Notebooks.Model;

namespace Course.Notebooks.Execution;

/// <summary>How the headless runner executes a notebook.</summary>
public sealed record RunOptions
{
    public TimeSpan CellTimeout { get; init; } = SessionOptions.DefaultCellTimeout;

    /// <summary>Apply the notebook's course.test_parameters profile before <see cref="Parameters"/>.</summary>
    public bool TestMode { get; init; }

    /// <summary>-p name=value overrides, as text; typed from the parameters cell's declarations.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// When false, a <see cref="Parameters"/> name the notebook does not declare is skipped instead of failing it,
    /// so one -p can serve a whole folder. The test profile is always strict: it is the notebook's own.
    /// </summary>
    public bool StrictParameters { get; init; } = true;

    /// <summary>
    /// Go on after a failing cell (nbclient's allow_errors): the grader scores every test cell, not only those before
    /// the first failure. A cell that timed out without honouring its token still ends the run.
    /// </summary>
    public bool ContinueAfterError { get; init; }

    /// <summary>Called before each code cell runs (not for cells skipped after the run stopped).</summary>
    public Action<Cell>? CellStarting { get; init; }

    /// <summary>Called after each code cell ran, its outputs (and error output) complete.</summary>
    public Action<Cell, CellResult>? CellFinished { get; init; }
}
