using Course.Notebooks.Execution;
using Course.Notebooks.Model;
using static Course.Notebooks.Tests.TestNotebooks;

namespace Course.Notebooks.Tests;

public class ExecutionTests
{
    [Fact]
    public void Variables_persist_across_cells_and_last_expression_is_the_result()
    {
        var (result, notebook) = Run("var x = 20;", "int Twice(int v) => 2 * v;", "Twice(x) + 2");
        Assert.True(result.Succeeded, result.Error);
        var output = Assert.IsType<ExecuteResultOutput>(Assert.Single(notebook.Cells[2].Outputs));
        Assert.Equal("42", output.Data["text/plain"]);
        Assert.Equal(3, output.ExecutionCount);
        Assert.Empty(notebook.Cells[0].Outputs);
    }

    [Fact]
    public void Display_and_extension_and_result_come_in_order()
    {
        var (result, notebook) = Run("display(\"hello\");\n\"world\".Display();\n1.5 + 1");
        Assert.True(result.Succeeded, result.Error);
        var outputs = notebook.Cells[0].Outputs;
        Assert.Equal(["display_data", "display_data", "execute_result"], outputs.Select(o => o.OutputType));
        Assert.Equal(["hello", "world", "2.5"], outputs.Select(Text));
    }

    [Fact]
    public void Void_last_expression_and_display_call_show_no_result()
    {
        var (result, notebook) = Run("Console.WriteLine(\"x\")", "display(3)");
        Assert.True(result.Succeeded, result.Error);
        Assert.IsType<StreamOutput>(Assert.Single(notebook.Cells[0].Outputs));
        Assert.IsType<DisplayDataOutput>(Assert.Single(notebook.Cells[1].Outputs));
    }

    [Fact]
    public void Display_handle_updates_in_place_across_cells()
    {
        var (result, notebook) = Run("var h = display(1);\nh.Update(2);", "Console.WriteLine(\"between\");\nh.Update(3);");
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("3", Text(Assert.Single(notebook.Cells[0].Outputs)));
        Assert.Equal("between\n", Text(Assert.Single(notebook.Cells[1].Outputs)));
    }

    [Fact]
    public void Library_display_hook_shows_and_replaces_by_display_id()
    {
        var (result, notebook) = Run(
            "var hook = (Action<object?, string?, bool>)AppContext.GetData(\"Course.Display\")!;\n" +
            "hook(\"epoch 1\", \"progress\", false);\nhook(\"epoch 2\", \"progress\", true);\nhook(\"done\", null, false);\n" +
            "AppContext.GetData(\"Course.Interactive\")");
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["epoch 2", "done", "False"], notebook.Cells[0].Outputs.Select(Text));
    }

    [Fact]
    public void Console_output_is_captured_as_stdout_and_stderr_streams()
    {
        var (result, notebook) = Run(
            "Console.WriteLine(\"one\");\nConsole.Write(\"two\");\nConsole.Error.WriteLine(\"bad\");\n" +
            "await Task.Run(() => Console.WriteLine(\"from the pool\"));");
        Assert.True(result.Succeeded, result.Error);
        var streams = notebook.Cells[0].Outputs.Cast<StreamOutput>().Select(s => (s.Name, s.Text));
        Assert.Equal([("stdout", "one\ntwo"), ("stderr", "bad\n"), ("stdout", "from the pool\n")], streams);
    }

    [Fact]
    public void Await_works_at_top_level()
    {
        var (result, notebook) = Run("await Task.Delay(5);\nvar v = await Task.FromResult(7);", "await Task.FromResult(v * 6)");
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("42", Text(Assert.Single(notebook.Cells[1].Outputs)));
    }

    [Fact]
    public void Compile_error_names_notebook_cell_line_and_column()
    {
        var notebook = Notebook.CreateCSharp(Cell.Markdown("# Title"), Cell.Code("var a = 1;"), Cell.Code("var b = 2;\nvar c =  foo;"), Cell.Code("var never = 1;"));
        var (result, _) = Run(notebook, new RunOptions());
        Assert.False(result.Succeeded);
        Assert.Equal("cell 3", result.FailedCell);
        Assert.EndsWith("test.ipynb: cell 3, line 2, col 10: error CS0103: The name 'foo' does not exist in the current context", result.Error);
        var error = Assert.IsType<ErrorOutput>(Assert.Single(notebook.Cells[2].Outputs));
        Assert.Equal("CompilationError", error.Name);
        Assert.Null(notebook.Cells[3].ExecutionCount);
        Assert.Equal(2, result.CellsRun);
    }

    [Fact]
    public void Runtime_exception_names_type_message_and_frames_inside_cells()
    {
        var (result, notebook) = Run(
            "int Divide(int x)\n{\n    return 10 / x;\n}",
            "var ok = 1;\nvar y = Divide(0);");
        Assert.False(result.Succeeded);
        Assert.Equal("cell 2", result.FailedCell);
        Assert.EndsWith("test.ipynb: cell 2, line 2: System.DivideByZeroException: Attempted to divide by zero. (thrown in cell 1, line 3)", result.Error);
        var error = Assert.IsType<ErrorOutput>(Assert.Single(notebook.Cells[1].Outputs));
        Assert.Equal("DivideByZeroException", error.Name);
        Assert.Equal("System.DivideByZeroException: Attempted to divide by zero.", error.Traceback[0]);
        Assert.Contains("   at Divide in cell 1, line 3", error.Traceback);
        Assert.Contains("   at top level in cell 2, line 2", error.Traceback);
    }

    [Fact]
    public void Failing_check_helper_from_an_earlier_cell_is_reported_at_the_calling_cell()
    {
        var (result, _) = Run(
            "void Check(bool ok, string claim)\n{\n    if (!ok) throw new Exception(\"Check failed: \" + claim);\n}",
            "var x = 2;",
            "var y = x + 1;\nCheck(y == 4, \"y is 4\");");
        Assert.False(result.Succeeded);
        Assert.Equal("cell 3", result.FailedCell);
        Assert.Contains("test.ipynb: cell 3", result.Error);
        Assert.EndsWith("System.Exception: Check failed: y is 4 (thrown in cell 1, line 3)", result.Error);
    }

    [Fact]
    public void Array_index_error_at_top_level_names_its_cell()
    {
        var (result, _) = Run("var ok = 1;", "var a = new int[2];\na[5] = 1;");
        Assert.False(result.Succeeded);
        Assert.Contains("test.ipynb: cell 2", result.Error);
        Assert.Contains("System.IndexOutOfRangeException", result.Error);
    }

    [Fact]
    public void Exception_thrown_in_library_code_keeps_the_throwing_frame()
    {
        var (result, notebook) = Run("var list = new List<int>();\nvar first = list.First();");
        Assert.False(result.Succeeded);
        Assert.Contains("cell 1, line 2: System.InvalidOperationException: Sequence contains no elements", result.Error);
        var traceback = Assert.IsType<ErrorOutput>(notebook.Cells[0].Outputs[^1]).Traceback;
        Assert.Contains(traceback, l => l.Contains("System.Linq", StringComparison.Ordinal) && l.EndsWith("(library)", StringComparison.Ordinal));
    }

    [Fact]
    public void Cell_over_its_time_limit_fails_and_stops_the_notebook()
    {
        var notebook = Notebook.CreateCSharp(
            Cell.Code("Console.WriteLine(\"start\");"),
            Cell.Code("Console.WriteLine(\"waiting\");\nawait Task.Delay(System.Threading.Timeout.Infinite);"),
            Cell.Code("Console.WriteLine(\"never\");"));
        // Long enough for "waiting" to be printed even on a loaded machine.
        var (result, _) = Run(notebook, new RunOptions { CellTimeout = TimeSpan.FromSeconds(2) });
        Assert.False(result.Succeeded);
        Assert.Equal("cell 2", result.FailedCell);
        Assert.EndsWith("test.ipynb: cell 2: timed out after 2 s (raise it with --timeout SECONDS)", result.Error);
        Assert.Equal("waiting\n", Text(notebook.Cells[1].Outputs[0]));
        Assert.IsType<ErrorOutput>(notebook.Cells[1].Outputs[1]);
        Assert.Empty(notebook.Cells[2].Outputs);
    }

    [Fact]
    public async Task Session_refuses_cells_after_a_timeout()
    {
        var session = new NotebookSession(new SessionOptions("s.ipynb", TempDirectory()) { CellTimeout = TimeSpan.FromMilliseconds(200) });
        var first = await session.ExecuteAsync("await Task.Delay(System.Threading.Timeout.Infinite);", "cell 1", _ => { });
        Assert.Equal(CellStatus.TimedOut, first.Status);
        Assert.True(session.IsBroken);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => session.ExecuteAsync("1", "cell 2", _ => { }));
        Assert.Contains("cell 1 did not finish", e.Message);
    }

    [Fact]
    public async Task Cell_that_watches_its_token_stops_at_the_time_limit_and_the_session_goes_on()
    {
        var session = new NotebookSession(new SessionOptions("s.ipynb", TempDirectory()) { CellTimeout = TimeSpan.FromMilliseconds(300) });
        var first = await session.ExecuteAsync("var before = 41;\nawait Task.Delay(System.Threading.Timeout.Infinite, CancellationToken);", "cell 1", _ => { });
        Assert.Equal(CellStatus.TimedOut, first.Status);
        Assert.False(session.IsBroken);
        var events = new List<CellEvent>();
        var second = await session.ExecuteAsync("before + 1", "cell 2", events.Add);
        Assert.True(second.Succeeded, second.Error?.Message);
        Assert.Equal("42", Assert.IsType<ResultEvent>(Assert.Single(events)).Data["text/plain"]);
    }

    [Fact]
    public async Task Cells_compile_ahead_of_running_and_must_run_in_order()
    {
        var session = new NotebookSession(new SessionOptions("s.ipynb", TempDirectory()));
        var first = session.Compile("var n = 20;", "cell 1");
        var second = session.Compile("n * 2 + 2", "cell 2", after: first);
        var broken = session.Compile("n +", "cell 3", after: second);
        Assert.Null(first.Error);
        Assert.Equal("s.ipynb: cell 3, line 1, col 4: error CS1733: Expected expression", broken.Error!.Message);

        await Assert.ThrowsAsync<InvalidOperationException>(() => session.ExecuteAsync(second, _ => { }));
        Assert.True((await session.ExecuteAsync(first, _ => { })).Succeeded);
        var events = new List<CellEvent>();
        Assert.True((await session.ExecuteAsync(second, events.Add)).Succeeded);
        Assert.Equal("42", Assert.IsType<ResultEvent>(Assert.Single(events)).Data["text/plain"]);
        Assert.Equal(CellStatus.CompileError, (await session.ExecuteAsync(broken, _ => { })).Status);
    }

    [Fact]
    public async Task Cancellation_stops_the_cell()
    {
        var session = new NotebookSession(new SessionOptions("s.ipynb", TempDirectory()));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var result = await session.ExecuteAsync("await Task.Delay(System.Threading.Timeout.Infinite, CancellationToken);", "cell 1", _ => { }, cancellationToken: cts.Token);
        Assert.Equal(CellStatus.Cancelled, result.Status);
        Assert.Equal("s.ipynb: cell 1: cancelled", result.Error!.Message);
    }

    [Fact]
    public void NuGet_reference_is_rejected_with_the_course_library_hint()
    {
        var (result, _) = Run("// packages\n#r \"nuget: MathNet.Numerics, 5.0.0\"\nvar x = 1;");
        Assert.False(result.Succeeded);
        Assert.Contains("cell 1, line 2, col 1: #r \"nuget: MathNet.Numerics, 5.0.0\" is not supported", result.Error);
        Assert.Contains("../artifacts/lib/Course.Lab.dll", result.Error);
    }

    [Fact]
    public void Records_in_a_sequence_display_as_an_html_table()
    {
        var (result, notebook) = Run("record Point(int X, string Label);", "new[] { new Point(1, \"a<b\"), new Point(2, \"c\") }");
        Assert.True(result.Succeeded, result.Error);
        var data = Assert.IsType<ExecuteResultOutput>(Assert.Single(notebook.Cells[1].Outputs)).Data;
        Assert.Contains("<th>X</th><th>Label</th>", data["text/html"]);
        Assert.Contains("<td>1</td><td>a&lt;b</td>", data["text/html"]);
        Assert.Equal("[Point { X = 1, Label = a<b }, Point { X = 2, Label = c }]", data["text/plain"]);
    }

    [Fact]
    public void Default_usings_do_not_expose_runner_types()
    {
        var (result, _) = Run("Notebook n = null!;");
        Assert.Contains("error CS0246: The type or namespace name 'Notebook' could not be found", result.Error);
        var (ok, notebook) = Run("record Metric(string Name);", "new StringBuilder().Append(new Metric(\"m\").Name).ToString()");
        Assert.True(ok.Succeeded, ok.Error);
        Assert.Equal("m", Text(notebook.Cells[1].Outputs[0]));
    }

    [Fact]
    public void Cell_wall_time_is_recorded_in_metadata()
    {
        var (result, notebook) = Run("await Task.Delay(50);");
        Assert.True(result.Succeeded, result.Error);
        var seconds = notebook.Cells[0].Metadata["course"]!["wall_seconds"]!.GetValue<double>();
        Assert.InRange(seconds, 0.05, 600);
        Assert.NotNull(notebook.Cells[0].Metadata["execution"]!["shell.execute_reply"]);
    }
}
