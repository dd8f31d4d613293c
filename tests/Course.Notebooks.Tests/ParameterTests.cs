using System.Text.Json.Nodes;
using Course.Notebooks.Execution;
using Course.Notebooks.Model;
using static Course.Notebooks.Tests.TestNotebooks;

namespace Course.Notebooks.Tests;

public class ParameterTests
{
    private const string Defaults = "int epochs = 10;\nlong seed = 7;\nvar lr = 0.5;\nfloat scale = 1f;\nbool fast = false;\nstring name = \"full\";\nvar steps = -3;\nvar items = new List<int>();";

    private static Notebook Parameterized(JsonObject? testProfile = null)
    {
        var notebook = Notebook.CreateCSharp(
            Cell.Markdown("# P"),
            Cell.Code(Defaults, "parameters"),
            Cell.Code("$\"{epochs}|{seed}|{lr}|{scale}|{fast}|{name}|{steps}|{epochs.GetType().Name}|{lr.GetType().Name}|{seed.GetType().Name}|{scale.GetType().Name}\""));
        if (testProfile is not null) notebook.Metadata["course"] = new JsonObject { ["test_parameters"] = testProfile };
        return notebook;
    }

    private static string ResultOf(Notebook notebook) => Text(notebook.Cells.Last().Outputs.Single());

    [Fact]
    public void Declarations_are_typed_from_keywords_and_literals()
    {
        var declared = NotebookParameters.Declarations(Defaults);
        Assert.Equal("int", declared["epochs"]);
        Assert.Equal("long", declared["seed"]);
        Assert.Equal("double", declared["lr"]);
        Assert.Equal("float", declared["scale"]);
        Assert.Equal("bool", declared["fast"]);
        Assert.Equal("string", declared["name"]);
        Assert.Equal("int", declared["steps"]);
        Assert.Equal("?", declared["items"]);
    }

    [Fact]
    public void Overrides_become_a_typed_cell_after_the_parameters_cell()
    {
        var notebook = Parameterized();
        var parameters = new Dictionary<string, string> { ["epochs"] = "2", ["lr"] = "1e-3", ["seed"] = "9", ["scale"] = "0.5", ["fast"] = "true", ["name"] = "a \"quoted\" name" };
        var (result, _) = Run(notebook, new RunOptions { Parameters = parameters });
        Assert.True(result.Succeeded, result.Error);
        var injected = notebook.Cells[2];
        Assert.True(injected.HasTag(NotebookParameters.InjectedTag));
        Assert.Contains("double lr = 0.001;", injected.Source);
        Assert.Contains("long seed = 9L;", injected.Source);
        Assert.Equal("2|9|0.001|0.5|True|a \"quoted\" name|-3|Int32|Double|Int64|Single", ResultOf(notebook));
    }

    [Fact]
    public void Test_mode_applies_the_notebook_profile_and_p_wins()
    {
        var notebook = Parameterized(new JsonObject { ["epochs"] = 1, ["name"] = "test", ["lr"] = 0.25 });
        var (result, _) = Run(notebook, new RunOptions { TestMode = true, Parameters = new Dictionary<string, string> { ["name"] = "cli" } });
        Assert.True(result.Succeeded, result.Error);
        Assert.StartsWith("1|7|0.25|1|False|cli|-3|", ResultOf(notebook));
    }

    [Fact]
    public void Full_mode_ignores_the_test_profile_and_rerun_replaces_the_injected_cell()
    {
        var notebook = Parameterized(new JsonObject { ["epochs"] = 1 });
        Run(notebook, new RunOptions { TestMode = true });
        Assert.Equal(4, notebook.Cells.Count);
        var (result, _) = Run(notebook, new RunOptions());
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(3, notebook.Cells.Count);
        Assert.StartsWith("10|", ResultOf(notebook));
    }

    [Theory]
    [InlineData("epochs", "abc", "parameter 'epochs' is declared int, and 'abc' is not a valid int")]
    [InlineData("fast", "yes", "parameter 'fast' is declared bool, and 'yes' is not a valid bool")]
    [InlineData("epoch", "1", "parameter 'epoch' is not declared in the parameters cell (cell 2); it declares: epochs, seed, lr, scale, fast, name, steps, items")]
    [InlineData("items", "1", "parameter 'items' cannot be injected: declare it as int, long, double, float, bool or string")]
    public void Bad_overrides_fail_the_notebook_with_a_clear_message(string name, string value, string expected)
    {
        var (result, notebook) = Run(Parameterized(), new RunOptions { Parameters = new Dictionary<string, string> { [name] = value } });
        Assert.False(result.Succeeded);
        Assert.Contains("test.ipynb: " + expected, result.Error);
        Assert.All(notebook.Cells, c => Assert.Null(c.ExecutionCount));
    }

    [Fact]
    public void Overrides_without_a_parameters_cell_are_an_error()
    {
        var (result, _) = Run(Notebook.CreateCSharp(Cell.Code("var epochs = 1;")), new RunOptions { Parameters = new Dictionary<string, string> { ["epochs"] = "2" } });
        Assert.EndsWith("test.ipynb: cannot set epochs: no code cell is tagged 'parameters'", result.Error);
    }
}
