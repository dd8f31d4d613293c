namespace Course.Notebooks.Execution;

/// <summary>
/// Settings of one notebook's script state. <see cref="Name"/> (usually the notebook's path) starts every error
/// message; relative #r and #load resolve against <see cref="BaseDirectory"/>.
/// </summary>
public sealed record SessionOptions(string Name, string BaseDirectory)
{
    public static readonly TimeSpan DefaultCellTimeout = TimeSpan.FromMinutes(10);

    public TimeSpan CellTimeout { get; init; } = DefaultCellTimeout;

    /// <summary>How the user raises <see cref="CellTimeout"/>, named in a timed-out cell's error.</summary>
    public string TimeoutHint { get; init; } = "raise it with --timeout SECONDS";
}
