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
