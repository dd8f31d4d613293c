using System.Collections.Concurrent;
using System.Reflection;
using Course.Notebooks.Execution;
using Course.Notebooks.Model;
using Xunit.Sdk;

namespace Course.Notebooks.Tests;

/// <summary>
/// The course notebooks (notebooks/**/*.ipynb, relative paths, sorted) and one test-mode runner execution of each,
/// shared by every test that needs it: the runner theory and the kernel's comparison run each notebook once.
/// </summary>
internal static class CourseNotebooks
{
    public static readonly string[] Found = Directory.Exists(RepoPaths.Notebooks)
        ? Directory.EnumerateFiles(RepoPaths.Notebooks, "*.ipynb", SearchOption.AllDirectories)
            .Where(p => !p.Contains(".ipynb_checkpoints", StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(RepoPaths.Notebooks, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray()
        : [];

    private static readonly ConcurrentDictionary<string, Lazy<Task<(NotebookRunResult Result, Notebook Executed)>>> Runs = new();

    // TorchSharp's default random generator is process-wide: two notebooks running side by side in this process would
    // draw from one stream and neither would repeat its numbers (the kernel comparison checks that they do).
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>The runner's test-mode result for <paramref name="notebook"/> (relative to notebooks/), computed once per test process.</summary>
    public static Task<(NotebookRunResult Result, Notebook Executed)> RunInTestModeAsync(string notebook) =>
        Runs.GetOrAdd(notebook, n => new Lazy<Task<(NotebookRunResult, Notebook)>>(() => Task.Run(async () =>
        {
            var path = Path.Combine(RepoPaths.Notebooks, n);
            var executed = NotebookFile.Read(path);
            await OneAtATime.WaitAsync();
            try
            {
                var result = await NotebookRunner.RunAsync(executed, path, new RunOptions { TestMode = true });
                return (result, executed);
            }
            finally { OneAtATime.Release(); }
        }))).Value;
}

/// <summary>
/// One row per course notebook. xunit 2 fails a theory without rows, so while the course has no notebooks there is
/// one placeholder row, skipped.
/// </summary>
public sealed class CourseNotebooksAttribute : DataAttribute
{
    public CourseNotebooksAttribute()
    {
        if (CourseNotebooks.Found.Length == 0) Skip = "no notebooks under notebooks/ yet";
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
        CourseNotebooks.Found.Length == 0 ? [["(none)"]] : CourseNotebooks.Found.Select(p => new object[] { p });
}
