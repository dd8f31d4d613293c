// Test classes run in parallel: grad-mode scopes are per async flow (AsyncLocal), so one class's no_grad() no longer
// reaches another. The default random generator (manual_seed, nn layer init) and the anomaly default
// (set_anomaly_enabled) are still process-wide, as in PyTorch: classes that use them, or that measure process-wide
// GC memory, join ProcessWideState.

namespace Course.Torch.Tests;

/// <summary>Classes that use process-wide engine state run in this collection, one at a time and apart from the rest.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideState
{
    public const string Name = "Process-wide engine state";
}
