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

/// <summary>A row whose engine pieces (nn modules, optimizers) are not built yet: it reports that, never a number.</summary>
public sealed class PendingRow(string id, string name, string needs) : BenchRow
{
    public override string Id => id;
    public override string Name => name;
    public override string Unavailable => $"not yet available: needs {needs}";
    public override Action CreateStep() => throw new InvalidOperationException($"{Id}: {Unavailable}");
}
