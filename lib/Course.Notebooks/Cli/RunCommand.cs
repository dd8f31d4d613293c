using System.CommandLine;
using System.Globalization;
using Course.Notebooks.Execution;
using Course.Notebooks.Html;
using Course.Notebooks.Model;

namespace Course.Notebooks.Cli;

/// <summary>
/// run &lt;notebook or folder&gt;... [--mode full|test] [-p name=value]... [--out DIR] [--timeout SECONDS] [--html]
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("notebooks")
        {
            Description = "Notebooks (.ipynb) or folders; a folder runs its *.ipynb recursively, sorted by name.",
            Arity = ArgumentArity.OneOrMore,
        };
        var mode = new Option<string>("--mode")
        {
            Description = "full, or test: apply each notebook's small profile (metadata course.test_parameters).",
            DefaultValueFactory = _ => "full",
        };
        mode.AcceptOnlyFromAmong("full", "test");
        var parameters = new Option<string[]>("--parameter", "-p")
        {
            Description = "name=value, overriding a variable of the cell tagged 'parameters'. Repeatable.",
        };
        var outDirectory = new Option<string>("--out")
        {
            Description = "Folder for executed notebooks, HTML pages and summary.json.",
            DefaultValueFactory = _ => "artifacts",
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Per-cell time limit in seconds.",
            DefaultValueFactory = _ => SessionOptions.DefaultCellTimeout.TotalSeconds,
        };
        var html = new Option<bool>("--html") { Description = "Also write a self-contained HTML page per notebook." };

        var command = new Command("run", "Execute notebooks headlessly and write the executed copies.")
        {
            paths, mode, parameters, outDirectory, timeout, html,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            new RunRequest(
                result.GetValue(paths) ?? [],
                result.GetValue(mode) == "test",
                result.GetValue(parameters) ?? [],
                result.GetValue(outDirectory) ?? "artifacts",
                result.GetValue(timeout),
                result.GetValue(html)),
            Console.Out, Console.Error, cancellationToken));
        return command;
    }

    public sealed record RunRequest(IReadOnlyList<string> Paths, bool TestMode, IReadOnlyList<string> Parameters, string OutDirectory, double TimeoutSeconds, bool Html);

    /// <summary>Runs every notebook; 0 when all pass, 1 when any fails, 2 for bad arguments.</summary>
    public static async Task<int> RunAsync(RunRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Roslyn's first compile costs about a second: pay it while we find and parse the notebooks.
        var warmUp = ScriptEnvironment.WarmUpAsync();

        IReadOnlyList<NotebookJob> jobs;
        Dictionary<string, string> overrides;
        try
        {
            if (request.TimeoutSeconds <= 0 || double.IsNaN(request.TimeoutSeconds))
                throw new ArgumentException($"--timeout {request.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)}: must be a positive number of seconds");
            overrides = ParseParameters(request.Parameters);
            jobs = NotebookDiscovery.Find(request.Paths, request.OutDirectory);
            if (jobs.Count == 0) throw new ArgumentException($"no notebooks found in {string.Join(", ", request.Paths)}");
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }

        var options = new RunOptions
        {
            TestMode = request.TestMode,
            Parameters = overrides,
            CellTimeout = TimeSpan.FromSeconds(request.TimeoutSeconds),
            // One -p for a folder sets the knob where it exists; a single notebook must declare it.
            StrictParameters = jobs.Count == 1,
        };
        WebAssets? assets = null;
        var runs = new List<(NotebookRunResult, string?)>();
        foreach (var job in jobs)
        {
            var (result, executed, output) = await RunOneAsync(job, options, cancellationToken).ConfigureAwait(false);
            if (request.Html && executed is not null)
            {
                assets ??= LocateAssets(job.Path, stderr);
                var title = NotebookHtmlWriter.TitleOf(executed, Path.GetFileNameWithoutExtension(job.Path));
                NotebookHtmlWriter.Write(executed, title, assets, job.OutputStem + ".html");
            }
            runs.Add((result, output));
            stdout.WriteLine(Line(result));
            if (!result.Succeeded) stdout.WriteLine($"     {result.Error}");
            if (cancellationToken.IsCancellationRequested) break;
        }

        var warmUpTime = warmUp.IsCompletedSuccessfully ? warmUp.Result : (TimeSpan?)null;
        var summary = RunSummary.Build(runs, request.TestMode ? "test" : "full", clock.Elapsed, warmUpTime);
        RunSummary.Write(summary, request.OutDirectory);

        var failed = runs.Where(r => !r.Item1.Succeeded).Select(r => r.Item1).ToList();
        stdout.WriteLine($"{runs.Count} notebook(s), {runs.Count - failed.Count} passed, {failed.Count} failed, {clock.Elapsed.TotalSeconds:0.0} s; summary: {Path.Combine(request.OutDirectory, RunSummary.FileName)}");
        foreach (var failure in failed) stderr.WriteLine($"failed: {failure.Error}");
        return failed.Count == 0 ? 0 : 1;
    }

    private static async Task<(NotebookRunResult Result, Notebook? Executed, string? Output)> RunOneAsync(NotebookJob job, RunOptions options, CancellationToken cancellationToken)
    {
        Notebook notebook;
        try
        {
            notebook = NotebookFile.Read(job.Path);
        }
        catch (NotebookFormatException e)
        {
            return (new NotebookRunResult(job.Path, false, TimeSpan.Zero, 0, 0, null, e.Message, []), null, null);
        }
        NotebookRunResult result;
        try
        {
            result = await NotebookRunner.RunAsync(notebook, job.Path, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault of the runner itself (not of a cell): report it and go on with the other notebooks.
            return (new NotebookRunResult(job.Path, false, TimeSpan.Zero, 0, 0, null, $"{job.Path}: runner error: {e}", []), null, null);
        }
        var output = job.OutputStem + ".ipynb";
        NotebookFile.Write(notebook, output);
        return (result, notebook, output);
    }

    private static WebAssets LocateAssets(string notebook, TextWriter stderr)
    {
        var assets = WebAssets.Locate(Path.GetDirectoryName(Path.GetFullPath(notebook))!, Environment.CurrentDirectory);
        if (assets.Warning is { } warning) stderr.WriteLine(warning);
        return assets;
    }

    private static string Line(NotebookRunResult r) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{(r.Succeeded ? "PASS" : "FAIL")} {r.Notebook}  {r.CellsRun}/{r.CodeCells} cells  {r.Elapsed.TotalSeconds:0.0} s{(r.FailedCell is null ? "" : $"  (stopped at {r.FailedCell})")}");

    internal static Dictionary<string, string> ParseParameters(IEnumerable<string> parameters)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            int eq = p.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"-p {p}: expected name=value");
            parsed[p[..eq].Trim()] = p[(eq + 1)..];
        }
        return parsed;
    }
}
