using System.Diagnostics;

namespace Course.Notebooks.Tests.Kernel;

/// <summary>
/// Debian's Python with nbclient / jupyter_client (python3-nbclient, python3-jupyter-client): a real Jupyter client
/// nobody here wrote. /usr/bin/python3 first, since a pyenv python3 on PATH does not see Debian's packages.
/// </summary>
internal static class PythonJupyter
{
    public static readonly string? Executable = Find("nbclient", "nbformat", "jupyter_client", "zmq");

    public const string InstallHint = "apt-get install -y python3-nbclient python3-jupyter-client python3-zmq jupyter-nbconvert python3-ipykernel";

    /// <summary>
    /// Executes a notebook with nbclient, stopping at the first error as the runner does, and saves the result.
    /// Arguments: source, target, working directory, and optionally a kernel name (else the one the notebook's
    /// metadata names, as front ends choose). Prints "nbclient: ok" or "nbclient: cell error: ..." (the kernel may
    /// print its own log to the same stdout), then the seconds taken.
    /// </summary>
    public const string ExecuteNotebookScript = """
        import sys, time, nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError
        source, target, cwd = sys.argv[1:4]
        kernel = {"kernel_name": sys.argv[4]} if len(sys.argv) > 4 else {}
        nb = nbformat.read(source, as_version=4)
        started = time.time()
        client = NotebookClient(nb, timeout=300, startup_timeout=120, resources={"metadata": {"path": cwd}}, **kernel)
        try:
            client.execute()
            print("nbclient: ok", flush=True)
        except CellExecutionError as e:
            print("nbclient: cell error:", str(e)[:400], flush=True)
        nbformat.write(nb, target)
        print("seconds %.2f" % (time.time() - started))
        """;

    /// <summary>What <see cref="ExecuteNotebookScript"/> reported: "ok", "cell error: ...", or that it reported nothing.</summary>
    public static string ExecutionStatus(string stdout) =>
        stdout.Split('\n').FirstOrDefault(l => l.StartsWith("nbclient: ", StringComparison.Ordinal))?["nbclient: ".Length..].Trim()
        ?? $"no status from nbclient in: {stdout}";

    /// <summary>Writes <paramref name="script"/> into <paramref name="root"/> and runs it there with <paramref name="env"/> added to this process's environment; stdout (and stderr on failure) go to the test output.</summary>
    public static (int Code, string Stdout) RunScript(string script, string root, IReadOnlyList<string> args, IDictionary<string, string> env, Xunit.Abstractions.ITestOutputHelper output)
    {
        var file = Path.Combine(root, $"script-{Guid.NewGuid():N}.py");
        File.WriteAllText(file, script);
        var withRuntime = new Dictionary<string, string>(env);
        withRuntime.TryAdd("JUPYTER_RUNTIME_DIR", Path.Combine(root, "runtime"));
        var (code, stdout, stderr) = Run(Executable!, [file, .. args], withRuntime, TimeSpan.FromMinutes(10), root);
        output.WriteLine(stdout);
        if (code != 0) output.WriteLine(stderr);
        return (code, stdout);
    }

    /// <summary>Why tests that need a real Jupyter client skip here; null when they can run.</summary>
    public static string? SkipReason => Executable is null
        ? $"python3 with nbclient, nbformat, jupyter_client and zmq not found: {InstallHint}"
        : null;

    private static string? Find(params string[] modules)
    {
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                var (code, _, _) = Run(candidate, ["-c", "import " + string.Join(", ", modules)], null, TimeSpan.FromSeconds(30));
                if (code == 0) return candidate;
            }
            catch (System.ComponentModel.Win32Exception) { }
        }
        return null;
    }

    public static (int ExitCode, string Stdout, string Stderr) Run(string exe, IEnumerable<string> args, IDictionary<string, string>? env, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        if (env is not null) foreach (var (k, v) in env) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} {string.Join(' ', args)} did not finish in {timeout.TotalSeconds} s; stderr: {stderr.Result}");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>Runs only where Debian's nbclient and jupyter_client are installed.</summary>
public sealed class NbclientFactAttribute : FactAttribute
{
    public NbclientFactAttribute()
    {
        Skip = PythonJupyter.SkipReason;
    }
}

/// <summary>A theory that runs only where Debian's nbclient and jupyter_client are installed.</summary>
public sealed class NbclientTheoryAttribute : TheoryAttribute
{
    public NbclientTheoryAttribute()
    {
        Skip = PythonJupyter.SkipReason;
    }
}

/// <summary>Runs only where nbclient and Debian's jupyter-nbconvert are installed.</summary>
public sealed class NbconvertFactAttribute : FactAttribute
{
    public static readonly string? Nbconvert = new[] { "/usr/bin/jupyter-nbconvert", "/usr/local/bin/jupyter-nbconvert" }.FirstOrDefault(File.Exists);

    public NbconvertFactAttribute()
    {
        Skip = PythonJupyter.SkipReason ?? (Nbconvert is null ? "jupyter-nbconvert not found: apt-get install -y jupyter-nbconvert" : null);
    }
}
