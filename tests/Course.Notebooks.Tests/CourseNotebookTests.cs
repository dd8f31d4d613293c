using System.Reflection;
using Course.Notebooks.Execution;
using Course.Notebooks.Model;
using Xunit.Sdk;

namespace Course.Notebooks.Tests;

/// <summary>Every course notebook, executed in test mode: an executed notebook is a test.</summary>
public class CourseNotebookTests
{
    [Fact]
    public void Notebooks_folder_exists() => Assert.True(Directory.Exists(RepoPaths.Notebooks), $"{RepoPaths.Notebooks} is missing");

    // Filter out with --filter "Category!=CourseNotebooks" for a quick unit-test run.
    [Theory]
    [Trait("Category", "CourseNotebooks")]
    [CourseNotebooks]
    public async Task Notebook_runs_in_test_mode(string notebook)
    {
        var path = Path.Combine(RepoPaths.Notebooks, notebook);
        var result = await NotebookRunner.RunAsync(NotebookFile.Read(path), path, new RunOptions { TestMode = true });
        Assert.True(result.Succeeded, result.Error);
    }

    /// <summary>
    /// One row per notebooks/**/*.ipynb (relative path, sorted). xunit 2 fails a theory without rows, so while the
    /// course has no notebooks there is one placeholder row, skipped.
    /// </summary>
    private sealed class CourseNotebooksAttribute : DataAttribute
    {
        private static readonly string[] Found = Directory.Exists(RepoPaths.Notebooks)
            ? Directory.EnumerateFiles(RepoPaths.Notebooks, "*.ipynb", SearchOption.AllDirectories)
                .Where(p => !p.Contains(".ipynb_checkpoints", StringComparison.Ordinal))
                .Select(p => Path.GetRelativePath(RepoPaths.Notebooks, p).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToArray()
            : [];

        public CourseNotebooksAttribute()
        {
            if (Found.Length == 0) Skip = "no notebooks under notebooks/ yet";
        }

        public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
            Found.Length == 0 ? [["(none)"]] : Found.Select(p => new object[] { p });
    }
}
