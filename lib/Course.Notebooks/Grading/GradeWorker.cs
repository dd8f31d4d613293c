using System.Text;
using System.Text.Json.Nodes;
using Course.Notebooks.Execution;
using Course.Notebooks.Model;

namespace Course.Notebooks.Grading;

/// <summary>
/// The child side of grading (the hidden `grade-worker` command): runs one merged notebook in its own process, every
/// cell even after failures, and reports each cell's start and end as a JSON line to a results file. Each line
/// carries a token the parent sent on standard input, read before any student code runs and kept in no field, so
/// what the student's code prints or writes cannot pass for a result (short of reading this process's memory).
/// </summary>
internal static class GradeWorker
{
    public const string CommandName = "grade-worker";

    /// <summary>Stream text kept per output, and rich data kept per MIME value: feedback, not the score.</summary>
    private const int MaxStreamChars = 100_000, MaxDataChars = 2_000_000, MaxCellChars = 8_000_000;

    /// <summary>Runs the notebook; returns the exit code (0 when the run finished, whatever the cells did).</summary>
    public static async Task<int> RunAsync(string notebookPath, TimeSpan cellTimeout, bool testMode, TextReader input, TextWriter error)
    {
        ProcessTree.BecomeGroupLeader();
        string token, resultsPath;
        try
        {
            var request = JsonNode.Parse(input.ReadLine() ?? "")!;
            token = request["token"]!.GetValue<string>();
            resultsPath = request["results"]!.GetValue<string>();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
        {
            error.WriteLine($"{CommandName}: expected {{\"token\": ..., \"results\": ...}} on standard input: {e.Message}");
            return 2;
        }
        Console.SetIn(TextReader.Null); // the request was the only input; student code reads nothing more

        var notebook = NotebookFile.Read(notebookPath);
        // The merged notebook holds the hidden tests: off the disk before any student code runs.
        try
        {
            File.Delete(notebookPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{CommandName}: cannot delete {notebookPath}: {e.Message}");
        }
        var indexOf = new Dictionary<Cell, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < notebook.Cells.Count; i++) indexOf[notebook.Cells[i]] = i;

        using var results = new FileStream(resultsPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        var gate = new Lock();
        void Send(JsonObject message)
        {
            message["token"] = token;
            var bytes = Encoding.UTF8.GetBytes(message.ToJsonString() + "\n");
            lock (gate)
            {
                results.Write(bytes); // one write per line, flushed: a kill loses at most the line in flight
                results.Flush();
            }
        }

        var options = new RunOptions
        {
            TestMode = testMode,
            CellTimeout = cellTimeout,
            ContinueAfterError = true,
            CellStarting = cell =>
            {
                if (indexOf.TryGetValue(cell, out var index)) Send(new JsonObject { ["event"] = "start", ["cell"] = index });
            },
            CellFinished = (cell, result) =>
            {
                if (!indexOf.TryGetValue(cell, out var index)) return; // the injected parameters cell
                Send(new JsonObject
                {
                    ["event"] = "end",
                    ["cell"] = index,
                    ["status"] = WorkerProtocol.StatusName(result.Status),
                    ["error"] = result.Error?.Message,
                    ["seconds"] = Math.Round(result.Elapsed.TotalSeconds, 3),
                    ["outputs"] = CappedOutputs(cell.Outputs),
                });
            },
        };
        // Named by its file name: messages read "alice.ipynb: cell 5, line 2: ..." (the working directory is its folder).
        var run = await NotebookRunner.RunAsync(notebook, Path.GetFileName(notebookPath), options).ConfigureAwait(false);
        Send(new JsonObject
        {
            ["event"] = "done",
            ["error"] = run.CellsRun == 0 ? run.Error : null, // a run that never started a cell (a bad parameter)
            ["seconds"] = Math.Round(run.Elapsed.TotalSeconds, 3),
        });
        return 0;
    }

    // Outputs as nbformat JSON, cut to sizes a results file and a feedback notebook can carry.
    private static JsonArray CappedOutputs(IEnumerable<Output> outputs)
    {
        var array = new JsonArray();
        long total = 0;
        foreach (var output in outputs)
        {
            var json = NotebookFile.WriteOutput(output);
            if (output is StreamOutput stream && stream.Text.Length > MaxStreamChars)
                json["text"] = stream.Text[..MaxStreamChars] + $"\n[... {stream.Text.Length - MaxStreamChars:N0} more characters cut by the grader]\n";
            if (json["data"] is JsonObject data)
            {
                foreach (var (mime, value) in data.ToList())
                    if (value is not null && value.ToJsonString().Length > MaxDataChars) data.Remove(mime);
                if (data.Count == 0) data["text/plain"] = "[output too large: cut by the grader]";
            }
            total += json.ToJsonString().Length;
            if (total > MaxCellChars)
            {
                array.Add(new JsonObject { ["output_type"] = "stream", ["name"] = "stderr", ["text"] = "[further outputs of this cell cut by the grader]\n" });
                break;
            }
            array.Add(json);
        }
        return array;
    }
}
