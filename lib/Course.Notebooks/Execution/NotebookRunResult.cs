namespace Course.Notebooks.Execution;

/// <summary>A number a notebook reported through application/vnd.course.metric+json.</summary>
public sealed record Metric(string Name, double Value, string? Unit);

/// <summary>The outcome of one headless run. <see cref="Error"/> is the one-line message naming notebook and cell.</summary>
public sealed record NotebookRunResult(
    string Notebook,
    bool Succeeded,
    TimeSpan Elapsed,
    int CellsRun,
    int CodeCells,
    string? FailedCell,
    string? Error,
    IReadOnlyList<Metric> Metrics)
{
    /// <summary>Time spent compiling cells, the runner's own share of <see cref="Elapsed"/>.</summary>
    public TimeSpan CompileElapsed { get; init; }
}
