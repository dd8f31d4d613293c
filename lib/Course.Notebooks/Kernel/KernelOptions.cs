namespace Course.Notebooks.Kernel;

/// <summary>How a kernel runs: its notebook folder (relative #r/#load), test mode and the per-cell time limit.</summary>
public sealed record KernelOptions
{
    /// <summary>The folder relative #r and #load resolve from: Jupyter and VS Code start kernels in the notebook's folder.</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>
    /// Apply the notebook's test profile (metadata course.test_parameters) right after its parameters cell runs.
    /// The CLI sets it from the environment variable COURSE_MODE=test, since nbclient cannot pass parameters.
    /// </summary>
    public bool TestMode { get; init; }

    /// <summary>The notebook whose test profile applies; when null, the notebooks in <see cref="WorkingDirectory"/> are searched.</summary>
    public string? NotebookPath { get; init; }

    /// <summary>
    /// Longer than the runner's 10 minutes: a student's full-mode training runs here, and the front end can
    /// interrupt. COURSE_CELL_TIMEOUT (seconds) sets it.
    /// </summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromHours(1);

    public const string CellTimeoutVariable = "COURSE_CELL_TIMEOUT";

    /// <summary>Diagnostics (never cell output); null for none.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Options from the environment: COURSE_MODE=test, COURSE_NOTEBOOK=path and COURSE_CELL_TIMEOUT=seconds.</summary>
    public static KernelOptions FromEnvironment(TextWriter? log) => new()
    {
        CellTimeout = Environment.GetEnvironmentVariable(CellTimeoutVariable) is { Length: > 0 } seconds ? ParseTimeout(seconds) : TimeSpan.FromHours(1),
        TestMode = string.Equals(Environment.GetEnvironmentVariable("COURSE_MODE"), "test", StringComparison.OrdinalIgnoreCase),
        NotebookPath = Environment.GetEnvironmentVariable("COURSE_NOTEBOOK") is { Length: > 0 } path ? Path.GetFullPath(path) : null,
        Log = log,
    };

    private static TimeSpan ParseTimeout(string seconds) =>
        double.TryParse(seconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 && double.IsFinite(s)
            ? TimeSpan.FromSeconds(s)
            : throw new FormatException($"{CellTimeoutVariable}={seconds}: expected a positive number of seconds");
}
