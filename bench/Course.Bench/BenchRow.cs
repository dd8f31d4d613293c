namespace Course.Bench;

/// <summary>
/// One workload of the yardstick. <see cref="Id"/> and <see cref="Name"/> match the Python scripts' row names so
/// the tables line up; <see cref="Flops"/> is counted the way pytorch_reference.py counts it.
/// </summary>
public abstract class BenchRow
{
    public abstract string Id { get; }
    public abstract string Name { get; }
    /// <summary>FLOPs per step for the ~GF/s column, or null when the row reports none.</summary>
    public virtual double? Flops => null;
    /// <summary>Largest acceptable ours/PyTorch time ratio (issue 19's speed targets), or null for information rows.</summary>
    public virtual double? Target => 1.5;
    /// <summary>Builds the model, optimizer and inputs (seeded) and returns the step to time.</summary>
    public abstract BenchStep CreateStep();
}

/// <summary>
/// A step to time and the native objects it uses (modules, optimizers, inputs), disposed when the row is done.
/// They are created outside any dispose scope: each step opens its own, as course training loops do.
/// </summary>
public sealed record BenchStep(Action Run, params IDisposable[] Owned) : IDisposable
{
    public void Dispose()
    {
        foreach (var o in Owned) o.Dispose();
    }
}
