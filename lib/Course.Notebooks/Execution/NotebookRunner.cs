using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Notebooks.Model;

namespace Course.Notebooks.Execution;

/// <summary>
/// Executes a whole notebook headlessly, papermill style: parameters injected, code cells in order, outputs and
/// timings written into the notebook, stopping at the first failing cell.
/// </summary>
public static class NotebookRunner
{
    public const string MetricMimeType = "application/vnd.course.metric+json";

    /// <summary>Runs <paramref name="notebook"/> in place (its outputs are replaced).</summary>
    /// <param name="path">The notebook's path: names it in messages; relative #r and #load resolve from its folder.</param>
    public static async Task<NotebookRunResult> RunAsync(Notebook notebook, string path, RunOptions options, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        // Libraries print a line per epoch instead of redrawing live widgets.
        AppContext.SetData(OutputRouter.InteractiveKey, false);

        // Labels count the source notebook's cells, so "cell 5" is the fifth cell in the file the author edits.
        var labels = new Dictionary<Cell, string>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < notebook.Cells.Count; i++)
            labels[notebook.Cells[i]] = notebook.Cells[i].HasTag(NotebookParameters.InjectedTag) ? "injected-parameters cell" : $"cell {i + 1}";

        try
        {
            var overrides = options.TestMode
                ? new Dictionary<string, string>(NotebookParameters.TestProfile(notebook, path), StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
            var declared = options.StrictParameters ? null : DeclaredParameters(notebook);
            foreach (var (name, value) in options.Parameters)
                if (declared is null || declared.ContainsKey(name)) overrides[name] = value;
            if (NotebookParameters.Inject(notebook, path, overrides) is { } injected) labels[injected] = "injected-parameters cell";
        }
        catch (ParameterException e)
        {
            return new NotebookRunResult(path, false, clock.Elapsed, 0, notebook.Cells.Count(c => c.Type == CellType.Code), null, e.Message, []);
        }
        int codeCells = notebook.Cells.Count(c => c.Type == CellType.Code && !string.IsNullOrWhiteSpace(c.Source));

        foreach (var cell in notebook.Cells.Where(c => c.Type == CellType.Code))
        {
            cell.Outputs.Clear();
            cell.ExecutionCount = null;
            cell.Metadata.Remove("execution");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var session = new NotebookSession(new SessionOptions(path, directory) { CellTimeout = options.CellTimeout });
        var collector = new OutputCollector();
        int executionCount = 0;
        var compileTime = TimeSpan.Zero;
        string? failedCell = null, error = null;

        // Compile ahead: while a cell runs, the next one compiles on the thread pool (compiling needs only the
        // previous cell's compilation, not its results), so compile time hides behind the cells' own work.
        var cells = notebook.Cells.Where(c => c.Type == CellType.Code && !string.IsNullOrWhiteSpace(c.Source)).ToList();
        Task<CompiledCell>? next = cells.Count > 0
            ? Task.Run(() => session.Compile(cells[0].Source, labels[cells[0]], null, cancellationToken), CancellationToken.None)
            : null;
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            var compiled = await next!.ConfigureAwait(false);
            next = null;
            // After a cell that failed without leaving a state, the cell compiled ahead on top of it cannot run.
            if (compiled.Script is not null && !session.Continues(compiled))
            {
                var source = cell;
                compiled = await Task.Run(() => session.Compile(source.Source, labels[source], null, cancellationToken), CancellationToken.None).ConfigureAwait(false);
            }
            if (i + 1 < cells.Count && (compiled.Error is null || options.ContinueAfterError))
            {
                var following = cells[i + 1];
                // A cell that does not compile does not run: the next one compiles on top of the state as it is.
                var after = compiled.Error is null ? compiled : null;
                next = Task.Run(() => session.Compile(following.Source, labels[following], after, cancellationToken), CancellationToken.None);
            }
            cell.ExecutionCount = ++executionCount;
            options.CellStarting?.Invoke(cell);
            var started = DateTimeOffset.UtcNow - compiled.Elapsed;
            var result = await session.ExecuteAsync(compiled, collector.For(cell), cancellationToken: cancellationToken).ConfigureAwait(false);
            RecordTiming(cell, started, result);
            compileTime += result.CompileElapsed;
            if (result.Error is { } cellError)
            {
                cell.Outputs.Add(new ErrorOutput(cellError.Name, cellError.Value, cellError.Traceback));
                failedCell ??= labels[cell];
                error ??= cellError.Message;
            }
            options.CellFinished?.Invoke(cell, result);
            if (result.Error is not null && (!options.ContinueAfterError || session.IsBroken || cancellationToken.IsCancellationRequested))
            {
                if (next is not null) await next.ConfigureAwait(false); // let the compile ahead finish before returning
                break;
            }
        }

        IReadOnlyList<Metric> metrics;
        try
        {
            metrics = Metrics(notebook);
        }
        catch (InvalidDataException e)
        {
            return new NotebookRunResult(path, false, clock.Elapsed, executionCount, codeCells, failedCell, $"{path}: {e.Message}", []);
        }
        return new NotebookRunResult(path, error is null, clock.Elapsed, executionCount, codeCells, failedCell, error, metrics) { CompileElapsed = compileTime };
    }

    private static IReadOnlyDictionary<string, string> DeclaredParameters(Notebook notebook) =>
        notebook.Cells.FirstOrDefault(c => c.Type == CellType.Code && c.HasTag(NotebookParameters.ParametersTag)) is { } cell
            ? NotebookParameters.Declarations(cell.Source)
            : new Dictionary<string, string>();

    /// <summary>Every metric output in the notebook, in order (after in-place updates).</summary>
    public static IReadOnlyList<Metric> Metrics(Notebook notebook)
    {
        var metrics = new List<Metric>();
        foreach (var output in notebook.Cells.SelectMany(c => c.Outputs).OfType<RichOutput>())
        {
            if (!output.Data.TryGetValue(MetricMimeType, out var json)) continue;
            try
            {
                var node = JsonNode.Parse(json)!.AsObject();
                metrics.Add(new Metric(
                    node["name"]!.GetValue<string>(),
                    node["value"]?.GetValue<double>() ?? double.NaN, // a non-finite value is written as null
                    node["unit"]?.GetValue<string>()));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
            {
                throw new InvalidDataException($"a {MetricMimeType} output is not {{\"name\": string, \"value\": number, \"unit\"?: string}}: {json}", e);
            }
        }
        return metrics;
    }

    // JupyterLab's timing keys, plus wall and compile seconds for readers that do not want to subtract dates.
    private static void RecordTiming(Cell cell, DateTimeOffset started, CellResult result)
    {
        cell.Metadata["execution"] = new JsonObject
        {
            ["iopub.execute_input"] = started.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
            ["shell.execute_reply"] = (started + result.Elapsed).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        };
        var course = cell.Metadata["course"] as JsonObject ?? new JsonObject();
        course["wall_seconds"] = Math.Round(result.Elapsed.TotalSeconds, 3);
        course["compile_seconds"] = Math.Round(result.CompileElapsed.TotalSeconds, 3);
        cell.Metadata["course"] = course;
    }
}
