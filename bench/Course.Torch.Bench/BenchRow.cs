namespace Course.Torch.Bench;

/// <summary>
/// One workload of the yardstick. <see cref="Id"/> and <see cref="Name"/> match pytorch_reference.py's row
/// names so the two tables line up; <see cref="Flops"/> is counted the way the Python script counts it.
/// </summary>
public abstract class BenchRow
{
    public abstract string Id { get; }
    public abstract string Name { get; }
    /// <summary>FLOPs per step for the ~GF/s column, or null when the row reports none.</summary>
    public virtual double? Flops => null;
    /// <summary>Why the row cannot run yet, or null when it can.</summary>
    public virtual string? Unavailable => null;
    /// <summary>Builds inputs (seeded) and returns the step to time.</summary>
    public abstract Action CreateStep();
}
