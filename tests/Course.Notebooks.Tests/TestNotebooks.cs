using Course.Notebooks.Execution;
using Course.Notebooks.Model;

namespace Course.Notebooks.Tests;

/// <summary>Builds small notebooks in a fresh temporary folder and runs them.</summary>
internal static class TestNotebooks
{
    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "course-notebooks-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static (NotebookRunResult Result, Notebook Notebook) Run(params string[] cells) =>
        Run(Notebook.CreateCSharp(cells.Select(c => Cell.Code(c)).ToArray()), new RunOptions());

    public static (NotebookRunResult Result, Notebook Notebook) Run(Notebook notebook, RunOptions options, string? directory = null)
    {
        var path = Path.Combine(directory ?? TempDirectory(), "test.ipynb");
        NotebookFile.Write(notebook, path);
        var result = NotebookRunner.RunAsync(notebook, path, options).GetAwaiter().GetResult();
        return (result, notebook);
    }

    public static string Text(Output output) => output switch
    {
        StreamOutput s => s.Text,
        RichOutput r => r.Data["text/plain"],
        ErrorOutput e => e.Value,
        _ => throw new ArgumentException(output.GetType().Name),
    };
}
