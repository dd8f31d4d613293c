using Course.Notebooks.Execution;
using Course.Notebooks.Model;

namespace Course.Notebooks.Tests;

/// <summary>Plotly.NET charts through the runner with the real course library from artifacts/lib.</summary>
public class ChartOutputTests
{
    private static readonly string Lib = Path.Combine(RepoPaths.Root, "artifacts", "lib");

    [Fact]
    public async Task Each_notebook_brings_plotly_js_with_its_first_chart_and_only_then()
    {
        Assert.True(File.Exists(Path.Combine(Lib, "Course.Lab.dll")), $"{Lib}/Course.Lab.dll is missing: build lib/Course.Lab first");
        var dir = TestNotebooks.TempDirectory();
        async Task<Notebook> RunAsync(string name)
        {
            var notebook = Notebook.CreateCSharp(
                Cell.Code($"#r \"{Path.Combine(Lib, "Course.Lab.dll")}\"\nusing Course.Lab;\nusing Plotly.NET;\nusing Plotly.NET.CSharp;\nusing Chart = Plotly.NET.CSharp.Chart;"),
                Cell.Code("var xs = Plots.Linspace(0, 1, 3);\nChart.Line<double, double, string>(xs, xs, Name: \"first\").WithTitle(\"last value\")"),
                Cell.Code("display(Plots.Histogram(new[] { 1.0, 2, 2 }, bins: 2));"));
            var path = Path.Combine(dir, name);
            NotebookFile.Write(notebook, path);
            var result = await NotebookRunner.RunAsync(notebook, path, new RunOptions());
            Assert.True(result.Succeeded, result.Error);
            return notebook;
        }

        foreach (var executed in new[] { await RunAsync("a.ipynb"), await RunAsync("b.ipynb") })
        {
            var first = Assert.IsType<ExecuteResultOutput>(Assert.Single(executed.Cells[1].Outputs));
            var second = Assert.IsType<DisplayDataOutput>(Assert.Single(executed.Cells[2].Outputs));
            Assert.Equal(["text/html", "application/vnd.plotly.v1+json", "text/plain"], first.Data.Keys);
            Assert.Contains("data-course-plotly-js", first.Data["text/html"]);
            Assert.DoesNotContain("data-course-plotly-js", second.Data["text/html"]);
            Assert.Equal("GenericChart \"last value\": 1 trace(s) [scatter 'first']", first.Data["text/plain"]);
            // In the notebook file the figure is JSON, not a string, as nbformat wants for +json types.
            Assert.Contains("\"application/vnd.plotly.v1+json\": {", NotebookFile.Serialize(executed));
        }
    }

    [Fact]
    public void A_chart_whose_x_and_y_differ_in_length_fails_its_cell_naming_both()
    {
        Assert.True(File.Exists(Path.Combine(Lib, "Course.Lab.dll")), $"{Lib}/Course.Lab.dll is missing: build lib/Course.Lab first");
        var (result, _) = TestNotebooks.Run(
            $"#r \"{Path.Combine(Lib, "Course.Lab.dll")}\"\nusing Course.Lab;\nusing Plotly.NET.CSharp;",
            "_ = Plots.Linspace(0, 1, 2);\nChart.Line<int, int, string>(new[] { 1, 2, 3 }, new[] { 1, 2 }, Name: \"kl\")");
        Assert.False(result.Succeeded);
        Assert.Contains("cell 2", result.Error);
        Assert.Contains("'kl'", result.Error);
        Assert.Contains("3 x values but 2 y values", result.Error);
    }
}
