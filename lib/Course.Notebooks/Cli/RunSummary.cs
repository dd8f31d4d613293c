using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Notebooks.Execution;
using Course.Notebooks.Model;
using Course.Shared;

namespace Course.Notebooks.Cli;

/// <summary>summary.json: per notebook its status, seconds, failing cell and every metric it reported.</summary>
public static class RunSummary
{
    public const string FileName = "summary.json";

    public static JsonObject Build(IReadOnlyList<(NotebookRunResult Result, string? Output)> runs, string mode, TimeSpan total, TimeSpan? warmUp)
    {
        var notebooks = new JsonArray();
        foreach (var (result, output) in runs)
        {
            notebooks.Add(new JsonObject
            {
                ["notebook"] = result.Notebook.Replace('\\', '/'),
                ["status"] = result.Succeeded ? "passed" : "failed",
                ["seconds"] = Math.Round(result.Elapsed.TotalSeconds, 3),
                ["compile_seconds"] = Math.Round(result.CompileElapsed.TotalSeconds, 3),
                ["cells_run"] = result.CellsRun,
                ["code_cells"] = result.CodeCells,
                ["failed_cell"] = result.FailedCell,
                ["failed_cell_number"] = CellNumber(result.FailedCell),
                ["error"] = result.Error,
                ["output"] = output?.Replace('\\', '/'),
                ["metrics"] = new JsonArray(result.Metrics.Select(m => (JsonNode?)new JsonObject
                {
                    ["name"] = m.Name,
                    ["value"] = double.IsFinite(m.Value) ? m.Value : null,
                    ["unit"] = m.Unit,
                }).ToArray()),
            });
        }
        return new JsonObject
        {
            ["mode"] = mode,
            ["passed"] = runs.Count(r => r.Result.Succeeded),
            ["failed"] = runs.Count(r => !r.Result.Succeeded),
            ["seconds"] = Math.Round(total.TotalSeconds, 3),
            ["roslyn_warmup_seconds"] = warmUp is { } w ? Math.Round(w.TotalSeconds, 3) : null,
            ["notebooks"] = notebooks,
        };
    }

    // "cell 5" -> 5, for tools that read the summary; null when nothing failed.
    private static int? CellNumber(string? label) =>
        label is not null && label.StartsWith("cell ", StringComparison.Ordinal)
        && int.TryParse(label.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : null;

    public static void Write(JsonObject summary, string outDirectory) =>
        AtomicFile.WriteAllText(Path.Combine(outDirectory, FileName), summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
