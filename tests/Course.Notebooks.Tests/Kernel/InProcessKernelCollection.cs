namespace Course.Notebooks.Tests.Kernel;

/// <summary>
/// Tests that start a kernel inside the test process. A kernel sets the process-wide AppContext flag
/// Course.Interactive to true and the runner sets it to false, so these run alone, after the parallel tests,
/// rather than flip the flag under a notebook another class is running.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessKernelCollection
{
    public const string Name = "In-process kernel";
}
