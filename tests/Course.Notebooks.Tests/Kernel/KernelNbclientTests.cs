using System.Text.Json.Nodes;
using Course.Notebooks.Execution;
using Course.Notebooks.Kernel;
using Course.Notebooks.Model;
using Xunit.Abstractions;

namespace Course.Notebooks.Tests.Kernel;

/// <summary>
/// The installed kernelspec driven by nbclient and jupyter_client, as Jupyter front ends drive it: a separate
/// `dotnet Course.Notebooks.dll kernel start` process found through JUPYTER_PATH.
/// </summary>
public class KernelNbclientTests(ITestOutputHelper output)
{
    // Start-to-first-result and per-cell round trips through jupyter_client's KernelManager.
    private const string TimingScript = """
        import signal, sys, time
        from jupyter_client.manager import KernelManager
        started = time.time()
        km = KernelManager(kernel_name="course-csharp")
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            reply = kc.execute_interactive("1+1", timeout=60, output_hook=lambda m: None)
            first = time.time() - started
            assert reply["content"]["status"] == "ok", reply
            n = 40
            t = time.time()
            for i in range(n):
                reply = kc.execute_interactive("%d" % i, timeout=60, output_hook=lambda m: None)
                assert reply["content"]["status"] == "ok", reply
            per_cell = (time.time() - t) / n
            # An interrupt through the kernelspec's interrupt_mode (message) ends a long cell.
            msg_id = kc.execute("while (true) { CancellationToken.ThrowIfCancellationRequested(); System.Threading.Thread.Sleep(10); }")
            time.sleep(0.5)
            km.interrupt_kernel()
            reply = kc.get_shell_msg(timeout=30)
            assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "error", reply
            after = kc.execute_interactive("6*7", timeout=60, output_hook=lambda m: None)
            assert after["content"]["status"] == "ok", after
            # Signal mode: SIGINT to the kernel process (what Jupyter sends for interrupt_mode "signal", and Ctrl+C).
            msg_id = kc.execute("while (true) { CancellationToken.ThrowIfCancellationRequested(); System.Threading.Thread.Sleep(10); }")
            time.sleep(0.5)
            km.signal_kernel(signal.SIGINT)
            reply = kc.get_shell_msg(timeout=30)
            assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "error", reply
            after = kc.execute_interactive("6*7", timeout=60, output_hook=lambda m: None)
            assert after["content"]["status"] == "ok" and km.is_alive(), after
            print("first_result_s %.3f per_cell_ms %.2f" % (first, per_cell * 1000))
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)
        """;

    private static string InstallKernelspec(string root)
    {
        var prefix = Path.Combine(root, "prefix");
        KernelSpec.Install(KernelSpec.KernelsDirectory(user: false, prefix));
        return Path.Combine(prefix, "share", "jupyter");
    }

    private (int Code, string Stdout) RunPython(string script, string root, string jupyterPath, IReadOnlyList<string> args, bool testMode, IDictionary<string, string>? extraEnv = null)
    {
        var env = new Dictionary<string, string>
        {
            ["JUPYTER_PATH"] = jupyterPath,
            ["JUPYTER_DATA_DIR"] = Path.Combine(root, "data"),
            ["COURSE_MODE"] = testMode ? "test" : "full",
        };
        foreach (var (k, v) in extraEnv ?? new Dictionary<string, string>()) env[k] = v;
        return PythonJupyter.RunScript(script, root, args, env, output);
    }

    [NbclientFact]
    public void Nbclient_runs_a_notebook_with_its_test_profile_injected_after_the_parameters_cell()
    {
        var root = TestNotebooks.TempDirectory();
        var jupyterPath = InstallKernelspec(root);
        var notebook = Notebook.CreateCSharp(
            Cell.Code("int epochs = 10;\nstring label = \"full\";", NotebookParameters.ParametersTag),
            Cell.Code("Console.WriteLine($\"epochs={epochs} label={label}\");"),
            Cell.Code("display(\"shown\").Update(\"updated\");\nepochs * 2"),
            Cell.Code("AppContext.GetData(\"Course.Interactive\")"));
        notebook.Metadata["course"] = new JsonObject { ["test_parameters"] = new JsonObject { ["epochs"] = 2, ["label"] = "test" } };
        var source = Path.Combine(root, "params.ipynb");
        NotebookFile.Write(notebook, source);

        var executedPath = Path.Combine(root, "params.executed.ipynb");
        var (code, stdout) = RunPython(PythonJupyter.ExecuteNotebookScript, root, jupyterPath, [source, executedPath, root], testMode: true);
        Assert.True(code == 0, stdout);
        Assert.Equal("ok", PythonJupyter.ExecutionStatus(stdout));
        var executed = NotebookFile.Read(executedPath);
        var cells = executed.Cells.Where(c => c.Type == CellType.Code).ToList();
        Assert.Equal([1, 2, 3, 4], cells.Select(c => c.ExecutionCount ?? 0));
        Assert.Equal("epochs=2 label=test\n", TestNotebooks.Text(Assert.Single(cells[1].Outputs)));
        // nbclient applies update_display_data in place, as the runner does.
        Assert.Contains("updated", TestNotebooks.Text(cells[2].Outputs.OfType<DisplayDataOutput>().Single()));
        Assert.Equal("4", TestNotebooks.Text(cells[2].Outputs.OfType<ExecuteResultOutput>().Single()));
        // Libraries draw live progress in a kernel session.
        Assert.Equal("true", TestNotebooks.Text(cells[3].Outputs.OfType<ExecuteResultOutput>().Single()).ToLowerInvariant());
    }

    // Every course notebook through the installed kernel, as nbclient drives it, against the runner's run of the same
    // notebook (shared with CourseNotebookTests, so each notebook runs once per process in the runner).
    [NbclientTheory]
    [Trait("Category", "CourseNotebooks")]
    [CourseNotebooks]
    public async Task Nbclient_runs_a_course_notebook_in_test_mode_like_the_runner(string notebook)
    {
        var source = Path.Combine(RepoPaths.Notebooks, notebook);
        Assert.True(File.Exists(source), $"{source} is missing");
        var runnerRun = CourseNotebooks.RunInTestModeAsync(notebook);
        var root = TestNotebooks.TempDirectory();
        var jupyterPath = InstallKernelspec(root);

        // nbclient: the kernel starts in the notebook's folder, so #r "../artifacts/lib/..." resolves as for the runner;
        // COURSE_NOTEBOOK names the notebook whose test profile applies.
        var executedPath = Path.Combine(root, Path.GetFileName(notebook));
        var (code, stdout) = RunPython(PythonJupyter.ExecuteNotebookScript, root, jupyterPath, [source, executedPath, Path.GetDirectoryName(source)!], testMode: true,
            new Dictionary<string, string> { ["COURSE_NOTEBOOK"] = source });
        Assert.Equal(0, code);
        var viaKernel = NotebookFile.Read(executedPath);
        var (result, viaRunner) = await runnerRun;
        Assert.True(result.Succeeded, result.Error);

        NotebookComparison.AssertNoErrors(notebook, viaKernel, "the course kernel");
        Assert.Equal("ok", PythonJupyter.ExecutionStatus(stdout));
        // The runner's injected-parameters cell runs, in the kernel, inside the parameters cell's request.
        NotebookComparison.AssertSameCellsSucceeded(viaRunner, viaKernel);
        NotebookComparison.AssertSameMetrics(notebook, result.Metrics, viaKernel, "kernel", output);
    }

    // jupyter nbconvert --execute, the other way Jupyter's own tools run a notebook headless.
    [NbconvertFact]
    public void Nbconvert_executes_a_notebook_with_the_installed_kernel()
    {
        var root = TestNotebooks.TempDirectory();
        var jupyterPath = InstallKernelspec(root);
        var source = Path.Combine(root, "convert.ipynb");
        NotebookFile.Write(Notebook.CreateCSharp(Cell.Code("var x = 6 * 7;"), Cell.Code("display(\"shown\");\nx")), source);
        var outputDirectory = Path.Combine(root, "out");
        var (code, stdout, stderr) = PythonJupyter.Run(NbconvertFactAttribute.Nbconvert!, ["--to", "notebook", "--execute", source, "--output-dir", outputDirectory],
            new Dictionary<string, string> { ["JUPYTER_PATH"] = jupyterPath, ["JUPYTER_DATA_DIR"] = Path.Combine(root, "data"), ["JUPYTER_RUNTIME_DIR"] = Path.Combine(root, "runtime") },
            TimeSpan.FromMinutes(5), root);
        Assert.True(code == 0, $"nbconvert exited {code}:\n{stdout}\n{stderr}");
        var cells = NotebookFile.Read(Path.Combine(outputDirectory, "convert.ipynb")).Cells;
        Assert.Equal([1, 2], cells.Select(c => c.ExecutionCount ?? 0));
        Assert.Equal("shown", TestNotebooks.Text(cells[1].Outputs.OfType<DisplayDataOutput>().Single()));
        Assert.Equal("42", TestNotebooks.Text(cells[1].Outputs.OfType<ExecuteResultOutput>().Single()));
    }

    [NbclientFact]
    public void Jupyter_client_starts_the_installed_kernel_runs_cells_and_interrupts_a_long_one()
    {
        var root = TestNotebooks.TempDirectory();
        var jupyterPath = InstallKernelspec(root);
        var (code, stdout) = RunPython(TimingScript, root, jupyterPath, [], testMode: false);
        Assert.True(code == 0, stdout);
        Assert.Contains("first_result_s", stdout);
    }
}
