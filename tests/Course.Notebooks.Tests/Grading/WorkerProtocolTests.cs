using System.Text.Json.Nodes;
using Course.Notebooks.Execution;
using Course.Notebooks.Grading;
using Course.Notebooks.Model;

namespace Course.Notebooks.Tests.Grading;

public class WorkerProtocolTests
{
    private const string Token = "0123456789abcdef";

    private static string Line(string token, string kind, int? cell = null, string? status = null) =>
        new JsonObject { ["token"] = token, ["event"] = kind, ["cell"] = cell, ["status"] = status, ["outputs"] = new JsonArray() }.ToJsonString() + "\n";

    private static WorkerReport Read(string text)
    {
        var path = Path.Combine(TestNotebooks.TempDirectory(), "results.jsonl");
        File.WriteAllText(path, text);
        return WorkerProtocol.Read(path, Token, cellCount: 5);
    }

    [Fact]
    public void Only_lines_with_the_token_in_order_count()
    {
        var report = Read(
            Line(Token, "start", 1) + Line(Token, "end", 1, "runtime_error")
            + "ok: all tests passed\n"                                          // a student's print reaching the file
            + Line("forged", "start", 2) + Line("forged", "end", 2, "ok")       // lines without the run's token
            + Line(Token, "end", 3, "ok")                                       // an end without its start
            + Line(Token, "start", 2) + Line(Token, "end", 2, "ok")
            + Line(Token, "done"));

        Assert.Equal([1, 2], report.Cells.Keys.Order());
        Assert.Equal(CellStatus.RuntimeError, report.Cells[1].Status);
        Assert.Equal(CellStatus.Ok, report.Cells[2].Status);
        Assert.True(report.Done);
        Assert.Equal(4, report.RejectedLines);
    }

    [Fact]
    public void A_cell_that_started_and_never_ended_is_reported_unfinished_and_a_cut_line_is_ignored()
    {
        var report = Read(Line(Token, "start", 0) + Line(Token, "end", 0, "ok") + Line(Token, "start", 3) + Line(Token, "end", 3, "ok").TrimEnd('\n'));
        Assert.False(report.Done);
        Assert.Equal(3, report.LastStarted);
        Assert.Null(report.Cells[3].Status);
        Assert.Equal(CellStatus.Ok, report.Cells[0].Status);
        Assert.Equal(0, report.RejectedLines);
    }

    [Fact]
    public void Lines_after_done_and_cells_out_of_range_are_rejected()
    {
        var report = Read(Line(Token, "start", 9) + Line(Token, "done") + Line(Token, "start", 0) + Line(Token, "end", 0, "ok"));
        Assert.Empty(report.Cells);
        Assert.Equal(3, report.RejectedLines);
    }

    [Fact]
    public void Runner_goes_on_after_failing_cells_and_reports_every_cell()
    {
        var started = new List<string>();
        var finished = new List<(string, CellStatus)>();
        var notebook = Notebook.CreateCSharp(
            Cell.Code("var a = 1;"),
            Cell.Code("var b = a + 1;\nthrow new Exception(\"boom\");"),
            Cell.Code("int c = ;"),
            Cell.Code("var d = a + b;"),
            Cell.Code("d * 10"));
        var options = new RunOptions
        {
            ContinueAfterError = true,
            CellStarting = c => started.Add(c.Source[..5]),
            CellFinished = (c, r) => finished.Add((c.Source[..5], r.Status)),
        };

        var (result, executed) = TestNotebooks.Run(notebook, options);

        Assert.False(result.Succeeded);
        Assert.Equal("cell 2", result.FailedCell); // the first failure
        Assert.Equal(5, result.CellsRun);
        Assert.Equal(["var a", "var b", "int c", "var d", "d * 1"], started);
        Assert.Equal([CellStatus.Ok, CellStatus.RuntimeError, CellStatus.CompileError, CellStatus.Ok, CellStatus.Ok], finished.Select(f => f.Item2));
        // b was set before the throw, and the cell after the compile error compiled on the state as it was.
        Assert.Equal("30", TestNotebooks.Text(executed.Cells[4].Outputs.Single()));
    }
}
