using System.Globalization;
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
    // Executes a notebook with nbclient (stopping at the first error, as the runner does) and saves the result.
    private const string ExecuteScript = """
        import sys, time, nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError
        source, target, cwd = sys.argv[1:4]
        nb = nbformat.read(source, as_version=4)
        started = time.time()
        client = NotebookClient(nb, kernel_name="course-csharp", timeout=300, startup_timeout=60, resources={"metadata": {"path": cwd}})
        try:
            client.execute()
            print("ok", flush=True)
        except CellExecutionError as e:
            print("cell error:", str(e)[:400], flush=True)
        nbformat.write(nb, target)
        print("seconds %.2f" % (time.time() - started))
        """;

    // Start-to-first-result and per-cell round trips through jupyter_client's KernelManager.
    private const string TimingScript = """
        import sys, time
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

    private (int Code, string Stdout) RunPython(string script, string root, string jupyterPath, IReadOnlyList<string> args, bool testMode)
    {
        var file = Path.Combine(root, $"script-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, script);
        var env = new Dictionary<string, string>
        {
            ["JUPYTER_PATH"] = jupyterPath,
            ["JUPYTER_RUNTIME_DIR"] = Path.Combine(root, "runtime"),
            ["JUPYTER_DATA_DIR"] = Path.Combine(root, "data"),
            ["COURSE_MODE"] = testMode ? "test" : "full",
        };
        var (code, stdout, stderr) = PythonJupyter.Run(PythonJupyter.Executable!, [file, .. args], env, TimeSpan.FromMinutes(5), root);
        output.WriteLine(stdout);
        if (code != 0) output.WriteLine(stderr);
        return (code, stdout);
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
        var (code, stdout) = RunPython(ExecuteScript, root, jupyterPath, [source, executedPath, root], testMode: true);
        Assert.True(code == 0 && stdout.StartsWith("ok", StringComparison.Ordinal), stdout);
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

    [NbclientFact]
    public void Nbclient_runs_a_course_notebook_in_test_mode_like_the_runner()
    {
        var name = "00-problem-framing.ipynb";
        var source = Path.Combine(RepoPaths.Notebooks, name);
        Assert.True(File.Exists(source), $"{source} is missing");
        var root = TestNotebooks.TempDirectory();
        var jupyterPath = InstallKernelspec(root);

        // nbclient: the kernel starts in the notebook's folder, so #r "../artifacts/lib/..." resolves as for the runner.
        var executedPath = Path.Combine(root, name);
        var (code, stdout) = RunPython(ExecuteScript, root, jupyterPath, [source, executedPath, RepoPaths.Notebooks], testMode: true);
        Assert.Equal(0, code);
        var viaKernel = NotebookFile.Read(executedPath);

        var viaRunner = NotebookFile.Read(source);
        var result = NotebookRunner.RunAsync(viaRunner, source, new RunOptions { TestMode = true }).GetAwaiter().GetResult();
        Assert.True(result.Succeeded, result.Error);

        var kernelErrors = viaKernel.Cells.SelectMany(c => c.Outputs).OfType<ErrorOutput>().Select(e => $"{e.Name}: {e.Value}").ToList();
        Assert.True(kernelErrors.Count == 0, string.Join("\n", kernelErrors));
        Assert.True(stdout.StartsWith("ok", StringComparison.Ordinal), stdout);
        // Same cells ran (the runner also counts its injected-parameters cell, the kernel runs it inside the parameters cell's request).
        var kernelCells = viaKernel.Cells.Count(c => c.Type == CellType.Code && c.ExecutionCount is not null);
        Assert.Equal(result.CellsRun - (viaRunner.Cells.Any(c => c.HasTag(NotebookParameters.InjectedTag)) ? 1 : 0), kernelCells);
        var kernelMetrics = NotebookRunner.Metrics(viaKernel);
        Assert.NotEmpty(result.Metrics);
        Assert.Equal(result.Metrics.Select(m => m.Name), kernelMetrics.Select(m => m.Name));
        foreach (var (runner, kernel) in result.Metrics.Zip(kernelMetrics))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{runner.Name}: runner {runner.Value} kernel {kernel.Value}"));
            Assert.Equal(runner.Value, kernel.Value, 1e-9);
        }
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
