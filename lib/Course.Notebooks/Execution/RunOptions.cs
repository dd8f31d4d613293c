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
}
