using System.Globalization;
using Course.Notebooks.Execution;
using Course.Notebooks.Model;
using Xunit.Abstractions;

namespace Course.Notebooks.Tests.Kernel;

/// <summary>A notebook executed through a Jupyter kernel, checked against the runner's execution of the same notebook.</summary>
internal static class NotebookComparison
{
    // Everything but wall time is seeded: a rerun of a notebook gives the same numbers to rounding.
    private const double RelativeTolerance = 1e-9;

    /// <summary>Fails with every error output, naming the notebook, cell and kernel.</summary>
    public static void AssertNoErrors(string notebook, Notebook executed, string kernel)
    {
        var errors = executed.Cells.Select((c, i) => (c, i))
            .SelectMany(x => x.c.Outputs.OfType<ErrorOutput>().Select(e => $"{notebook} cell {x.i + 1} under {kernel}: {e.Name}: {e.Value}"))
            .ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    /// <summary>The same code cells ran and succeeded, in the same order (injected parameters aside).</summary>
    public static void AssertSameCellsSucceeded(Notebook runner, Notebook kernel) => Assert.Equal(Succeeded(runner), Succeeded(kernel));

    /// <summary>The same metrics, by name and unit in order, with the same values (wall times aside); each pair is printed.</summary>
    public static void AssertSameMetrics(string notebook, IReadOnlyList<Metric> runner, Notebook executed, string kernel, ITestOutputHelper output)
    {
        var viaKernel = NotebookRunner.Metrics(executed);
        Assert.Equal(runner.Select(m => (m.Name, m.Unit)), viaKernel.Select(m => (m.Name, m.Unit)));
        foreach (var (r, k) in runner.Zip(viaKernel))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{notebook} {r.Name} [{r.Unit}]: runner {r.Value:R}, {kernel} {k.Value:R}"));
            if (IsWallTime(r)) continue;
            Assert.True(r.Value.Equals(k.Value) || Math.Abs(r.Value - k.Value) <= RelativeTolerance * Math.Max(1, Math.Abs(r.Value)),
                string.Create(CultureInfo.InvariantCulture, $"{notebook}: metric {r.Name}: runner {r.Value:R}, {kernel} {k.Value:R}"));
        }
    }

    private static bool IsWallTime(Metric metric) => metric.Unit is "s" or "ms" or "min";

    // The sources of the code cells that ran without an error output, in order, excluding injected parameters.
    private static List<string> Succeeded(Notebook notebook) =>
        notebook.Cells
            .Where(c => c.Type == CellType.Code && !c.HasTag(NotebookParameters.InjectedTag) && c.ExecutionCount is not null && !c.Outputs.OfType<ErrorOutput>().Any())
            .Select(c => c.Source.Replace("\r\n", "\n"))
            .ToList();
}
