using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Course.Notebooks.Execution;
using Course.Notebooks.Model;
using Xunit.Abstractions;

namespace Course.Notebooks.Tests.Kernel;

/// <summary>
/// The .NET Interactive kernel (".NET (C#)", the Microsoft.dotnet-interactive tool), as Jupyter finds it in this
/// environment: .ci/run installs the pinned tool into artifacts/tools and registers its kernelspec in a temporary
/// Jupyter data directory; a student's `dotnet interactive jupyter install` registers it for their user.
/// </summary>
internal static class DotNetInteractiveKernel
{
    public const string Name = ".net-csharp";
    public const string Version = "1.0.712001";

    public const string InstallHint =
        $"install the pinned tool and register its kernelspec: `dotnet tool install -g Microsoft.dotnet-interactive --version {Version} " +
        "&& dotnet interactive jupyter install` (which needs jupyter-kernelspec: apt-get install -y jupyter-client), " +
        "or run .ci/run, which installs both into this clone (artifacts/tools) and a temporary Jupyter data directory";

    private const string FindScript = """
        import json
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
        try:
            spec = KernelSpecManager().get_kernel_spec(".net-csharp")
            print(json.dumps({"argv": spec.argv, "dir": spec.resource_dir}))
        except NoSuchKernel:
            print("null")
        """;

    private static readonly Lazy<(string? Problem, string Description)> Found = new(Find);

    /// <summary>Fails the calling test, saying how to install the kernel, when Jupyter cannot start it here.</summary>
    public static string Require()
    {
        var (problem, description) = Found.Value;
        Assert.True(problem is null, problem);
        return description;
    }

    private static (string? Problem, string Description) Find()
    {
        var (code, stdout, stderr) = PythonJupyter.Run(PythonJupyter.Executable!, ["-c", FindScript], null, TimeSpan.FromMinutes(1));
        if (code != 0) return ($"could not ask jupyter_client for the kernelspec {Name}: {stderr}", "");
        if (JsonNode.Parse(stdout) is not JsonObject spec)
            return ($"the .NET Interactive kernel '{Name}' is not registered with Jupyter here: {InstallHint}", "");
        // Its argv runs the tool ("dotnet interactive jupyter ..."): the same command with --version names the version.
        var argv = spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        int jupyter = argv.IndexOf("jupyter");
        if (jupyter < 1) return ($"kernelspec {spec["dir"]} does not start a dotnet-interactive jupyter kernel: {string.Join(' ', argv)}", "");
        string version;
        try
        {
            var (exit, output, error) = PythonJupyter.Run(argv[0], [.. argv.Skip(1).Take(jupyter - 1), "--version"], null, TimeSpan.FromMinutes(1));
            version = exit == 0 ? output.Trim() : throw new InvalidOperationException(error.Trim());
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return ($"kernelspec {spec["dir"]} runs `{string.Join(' ', argv.Take(jupyter))}`, which fails: {e.Message}; {InstallHint}", "");
        }
        if (!version.StartsWith(Version, StringComparison.Ordinal))
            return ($"kernelspec {spec["dir"]} runs Microsoft.dotnet-interactive {version}; the course is checked against {Version}: {InstallHint}", "");
        return (null, $"{Name} (Microsoft.dotnet-interactive {version}) from {spec["dir"]}");
    }
}

/// <summary>
/// Every course notebook in test mode through the .NET Interactive kernel, driven by nbclient, against the runner's run
/// of the same notebook: every cell succeeds, the same metrics come out, and what the runner shows as charts, image
/// grids, tables and metrics arrives there as the same rich MIME types.
/// </summary>
public class DotNetInteractiveKernelTests(ITestOutputHelper output)
{
    private const string KernelLabel = ".NET Interactive";
    private static readonly Regex CompilerWarning = new(@"warning CS\d{4}", RegexOptions.Compiled);

    [NbclientTheory]
    [Trait("Category", "CourseNotebooks")]
    [CourseNotebooks]
    public async Task Notebook_runs_under_the_dotnet_interactive_kernel_like_the_runner(string notebook)
    {
        output.WriteLine($"kernel: {DotNetInteractiveKernel.Require()}");
        var source = Path.Combine(RepoPaths.Notebooks, notebook);
        Assert.True(File.Exists(source), $"{source} is missing");
        var runnerRun = CourseNotebooks.RunInTestModeAsync(notebook);

        // Test mode as the runner applies it: the notebook's course.test_parameters in a cell after its parameters cell.
        var root = TestNotebooks.TempDirectory();
        var prepared = NotebookFile.Read(source);
        NotebookParameters.Inject(prepared, notebook, NotebookParameters.TestProfile(prepared, notebook));
        var input = Path.Combine(root, "input.ipynb");
        NotebookFile.Write(prepared, input);
        var executedPath = Path.Combine(root, Path.GetFileName(notebook));
        // The kernel starts in the notebook's folder, so its #r "../artifacts/lib/..." resolves as for the runner.
        var (code, stdout) = PythonJupyter.RunScript(PythonJupyter.ExecuteNotebookScript, root,
            [input, executedPath, Path.GetDirectoryName(source)!, DotNetInteractiveKernel.Name],
            new Dictionary<string, string> { ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" }, output);
        Assert.True(code == 0, $"{notebook}: nbclient exited {code}: {stdout}");
        var viaKernel = NotebookFile.Read(executedPath);
        var (result, viaRunner) = await runnerRun;
        Assert.True(result.Succeeded, result.Error);

        NotebookComparison.AssertNoErrors(notebook, viaKernel, KernelLabel);
        Assert.Equal("ok", PythonJupyter.ExecutionStatus(stdout));
        NotebookComparison.AssertSameCellsSucceeded(viaRunner, viaKernel);
        NotebookComparison.AssertSameMetrics(notebook, result.Metrics, viaKernel, KernelLabel, output);
        AssertSameRichOutputs(notebook, viaRunner, viaKernel);
        AssertProgressUpdatedInPlace(notebook, viaKernel);
        AssertNoCompilerWarningsAfterTheLibraryLoads(notebook, viaKernel);
    }

    // Per cell, every MIME type the runner produced beyond text/plain (plotly JSON and HTML for charts, PNG for image
    // grids, HTML for tables, the metric JSON) also came out of the .NET Interactive kernel.
    private static void AssertSameRichOutputs(string notebook, Notebook runner, Notebook kernel)
    {
        Assert.Equal(runner.Cells.Count, kernel.Cells.Count);
        var missing = new List<string>();
        for (int i = 0; i < runner.Cells.Count; i++)
        {
            var expected = RichMimeTypes(runner.Cells[i]);
            var got = RichMimeTypes(kernel.Cells[i]);
            var absent = expected.Except(got).ToList();
            if (absent.Count > 0) missing.Add($"cell {i + 1}: {string.Join(", ", absent)} (got: {string.Join(", ", got)})");
        }
        Assert.True(missing.Count == 0, $"{notebook}: rich outputs missing under {KernelLabel}:\n{string.Join("\n", missing)}");
    }

    private static HashSet<string> RichMimeTypes(Cell cell) =>
        cell.Outputs.OfType<RichOutput>().SelectMany(o => o.Data.Keys).Where(m => m != "text/plain").ToHashSet();

    // Progress shows one display per run, updated in place: after nbclient applied the updates, each shows its last step.
    private static void AssertProgressUpdatedInPlace(string notebook, Notebook kernel)
    {
        var stale = kernel.Cells.Select((c, i) => (c, i))
            .SelectMany(x => x.c.Outputs.OfType<RichOutput>()
                .Where(o => o.Data.TryGetValue("text/html", out var html) && html.Contains("class=\"course-progress\"", StringComparison.Ordinal))
                .Where(o => !o.Data["text/plain"].Contains(", done", StringComparison.Ordinal))
                .Select(o => $"cell {x.i + 1}: {o.Data["text/plain"]}"))
            .ToList();
        Assert.True(stale.Count == 0, $"{notebook}: progress displays not updated to their end:\n{string.Join("\n", stale)}");
    }

    // The library turns compiler warnings off when it loads; the first code cell compiles before that, so it is only reported.
    private void AssertNoCompilerWarningsAfterTheLibraryLoads(string notebook, Notebook kernel)
    {
        var code = kernel.Cells.Select((c, i) => (c, i)).Where(x => x.c.Type == CellType.Code).ToList();
        string Warnings((Cell Cell, int Index) x) => string.Concat(x.Cell.Outputs.OfType<StreamOutput>().Select(s => s.Text).Where(t => CompilerWarning.IsMatch(t)));
        if (code.Count > 0 && Warnings(code[0]) is { Length: > 0 } first)
            output.WriteLine($"{notebook} cell {code[0].i + 1} (loads the library) printed compiler warnings: {first.Trim()}");
        var noisy = code.Skip(1).Select(x => (x.i, Text: Warnings(x))).Where(x => x.Text.Length > 0).Select(x => $"cell {x.i + 1}: {x.Text.Trim()}").ToList();
        Assert.True(noisy.Count == 0, $"{notebook}: compiler warnings under {KernelLabel}:\n{string.Join("\n", noisy)}");
    }
}
