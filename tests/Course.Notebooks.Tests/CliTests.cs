using System.CommandLine;
using System.Text.Json.Nodes;
using Course.Notebooks.Cli;
using Course.Notebooks.Model;

namespace Course.Notebooks.Tests;

public class CliTests
{
    private static void Save(string path, Notebook notebook) => NotebookFile.Write(notebook, path);

    [Fact]
    public async Task Folder_run_writes_outputs_pages_and_summary_and_fails_naming_notebook_and_cell()
    {
        var root = TestNotebooks.TempDirectory();
        var folder = Path.Combine(root, "course");
        var ok = Notebook.CreateCSharp(
            Cell.Markdown("# OK"),
            Cell.Code("int epochs = 10;", "parameters"),
            Cell.Code("""
                AppContext.GetData("Course.Display") is Action<object?, string?, bool> hook
                    ? "hook" : "none"
                """),
            Cell.Code("Console.WriteLine($\"epochs {epochs}\");"));
        ok.Metadata["course"] = new JsonObject { ["test_parameters"] = new JsonObject { ["epochs"] = 2 } };
        Save(Path.Combine(folder, "01-ok.ipynb"), ok);
        Save(Path.Combine(folder, "exercises", "e1.ipynb"), Notebook.CreateCSharp(Cell.Code("var a = 1;"), Cell.Code("throw new InvalidOperationException(\"boom\");")));
        Save(Path.Combine(folder, "00-first.ipynb"), Notebook.CreateCSharp(Cell.Code("1")));
        var outDir = Path.Combine(root, "out");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int exit = await RunCommand.RunAsync(new RunCommand.RunRequest([folder], TestMode: true, ["epochs=3"], outDir, 60, Html: true), stdout, stderr);

        Assert.Equal(1, exit);
        var lines = stdout.ToString().Split('\n');
        Assert.StartsWith("PASS " + Path.Combine(folder, "00-first.ipynb") + "  1/1 cells", lines[0]);
        Assert.StartsWith("PASS " + Path.Combine(folder, "01-ok.ipynb") + "  4/4 cells", lines[1]);
        Assert.StartsWith("FAIL " + Path.Combine(folder, "exercises", "e1.ipynb") + "  2/2 cells", lines[2]);
        Assert.Contains("e1.ipynb: cell 2, line 1: System.InvalidOperationException: boom", lines[3]);
        Assert.Contains("e1.ipynb: cell 2, line 1: System.InvalidOperationException: boom", stderr.ToString());

        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal("test", summary["mode"]!.GetValue<string>());
        var notebooks = summary["notebooks"]!.AsArray();
        Assert.Equal(["passed", "passed", "failed"], notebooks.Select(n => n!["status"]!.GetValue<string>()));
        Assert.Equal("cell 2", notebooks[2]!["failed_cell"]!.GetValue<string>());
        Assert.Equal(2, notebooks[2]!["failed_cell_number"]!.GetValue<int>());
        Assert.True(notebooks[1]!["seconds"]!.GetValue<double>() > 0);

        var executed = NotebookFile.Read(Path.Combine(outDir, "course", "01-ok.ipynb"));
        Assert.Equal("epochs 3\n", TestNotebooks.Text(executed.Cells[^1].Outputs.Single()));
        Assert.Equal("hook", TestNotebooks.Text(executed.Cells[3].Outputs.Single()));
        Assert.True(File.Exists(Path.Combine(outDir, "course", "exercises", "e1.ipynb")));
        Assert.Contains("boom", File.ReadAllText(Path.Combine(outDir, "course", "exercises", "e1.html")));
        Assert.Contains("<title>OK</title>", File.ReadAllText(Path.Combine(outDir, "course", "01-ok.html")));
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Malformed_notebook_fails_its_line_and_others_still_run()
    {
        var root = TestNotebooks.TempDirectory();
        File.WriteAllText(Path.Combine(root, "a.ipynb"), "{ not json");
        Save(Path.Combine(root, "b.ipynb"), Notebook.CreateCSharp(Cell.Code("2")));
        var stdout = new StringWriter();
        int exit = await RunCommand.RunAsync(new RunCommand.RunRequest([root], false, [], Path.Combine(root, "out"), 60, false), stdout, new StringWriter());
        Assert.Equal(1, exit);
        Assert.Contains("a.ipynb: line 1, col 3: malformed JSON", stdout.ToString());
        Assert.Contains("PASS " + Path.Combine(root, "b.ipynb"), stdout.ToString());
    }

    [Theory]
    [InlineData("missing-folder", "no such notebook or folder")]
    [InlineData("-p", "expected name=value")]
    public async Task Bad_arguments_exit_2_with_a_message(string kind, string expected)
    {
        var root = TestNotebooks.TempDirectory();
        Save(Path.Combine(root, "n.ipynb"), Notebook.CreateCSharp(Cell.Code("1")));
        var request = kind == "-p"
            ? new RunCommand.RunRequest([root], false, ["novalue"], Path.Combine(root, "out"), 60, false)
            : new RunCommand.RunRequest([Path.Combine(root, "nope")], false, [], Path.Combine(root, "out"), 60, false);
        var stderr = new StringWriter();
        Assert.Equal(2, await RunCommand.RunAsync(request, new StringWriter(), stderr));
        Assert.Contains(expected, stderr.ToString());
    }

    [Fact]
    public void Command_line_parses_every_option()
    {
        var root = new RootCommand { RunCommand.Create() };
        var ok = root.Parse(["run", "a.ipynb", "notebooks", "--mode", "test", "-p", "epochs=1", "-p", "lr=0.5", "--out", "o", "--timeout", "30", "--html"]);
        Assert.Empty(ok.Errors);
        Assert.Equal(["epochs=1", "lr=0.5"], ok.GetValue<string[]>("--parameter")!);
        Assert.Equal(["a.ipynb", "notebooks"], ok.GetValue<string[]>("notebooks")!);
        Assert.NotEmpty(root.Parse(["run", "a.ipynb", "--mode", "fast"]).Errors);
        Assert.NotEmpty(root.Parse(["run"]).Errors);
    }
}
