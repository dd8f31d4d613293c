using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Course.Notebooks.Kernel;

namespace Course.Notebooks.Grading;

/// <summary>Limits of one submission's run.</summary>
/// <param name="WallClock">For the whole process, start-up included.</param>
/// <param name="MemoryBytes">Resident memory of the worker and every process it starts (managed heap and native memory).</param>
/// <param name="RunAs">Run the worker as this user (the grader must be root): it then cannot read the grader's files.</param>
public sealed record SandboxLimits(TimeSpan WallClock, long MemoryBytes, bool TestMode, UnixAccount? RunAs = null);

/// <summary>A Unix user that submissions run as, from /etc/passwd.</summary>
public sealed record UnixAccount(string Name, int Uid, int Gid)
{
    /// <summary>The account named <paramref name="name"/>; throws <see cref="ArgumentException"/> saying what is missing.</summary>
    public static UnixAccount Resolve(string name)
    {
        if (OperatingSystem.IsWindows()) throw new ArgumentException("--run-as works on Linux only");
        if (!Environment.IsPrivilegedProcess) throw new ArgumentException($"--run-as {name}: only root can run submissions as another user");
        if (SetPriv() is null) throw new ArgumentException($"--run-as {name}: setpriv (util-linux) is not installed");
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == name
                && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int uid)
                && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out int gid))
                return uid == 0 ? throw new ArgumentException($"--run-as {name}: that is root") : new UnixAccount(name, uid, gid);
        }
        throw new ArgumentException($"--run-as {name}: no such user in /etc/passwd");
    }

    internal static string? SetPriv() =>
        new[] { "/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv" }.FirstOrDefault(File.Exists);
}

/// <summary>How a submission's process ended.</summary>
public enum RunEnd
{
    /// <summary>The worker ran every cell it could and said so.</summary>
    Completed,
    TimedOut,
    OutOfMemory,
    /// <summary>The process ended by itself before the worker was done (Environment.Exit, a crash, a kill).</summary>
    Ended,
    /// <summary>The worker could not be started: the grader's fault, not the submission's.</summary>
    FailedToStart,
}

/// <summary>One submission's run as observed by the grader.</summary>
public sealed record SandboxResult(
    RunEnd End,
    IReadOnlyDictionary<int, CellRecord> Cells,
    int? ExitCode,
    TimeSpan Elapsed,
    long PeakMemoryBytes,
    int? LastStartedCell,
    string? RunError,
    string ErrorTail,
    int RejectedLines);

/// <summary>
/// Runs a merged notebook in a child process (this program's hidden `grade-worker` command) with a clean
/// environment, a working directory of its own, a wall-clock limit and a memory limit, and reads back the
/// per-cell results. The managed heap is capped with DOTNET_GCHeapHardLimit (an allocation bomb in C# gets an
/// OutOfMemoryException in its cell); native memory (TorchSharp tensors) is caught by polling the resident set
/// of the process group, which is killed, whole, at either limit.
/// </summary>
internal static class Sandbox
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private const int OthersEvery = 20;
    private const int TailBytes = 16 << 10;

    // Passed through to the worker: what dotnet and native libraries need to start. Nothing else of the grader's
    // environment (tokens, COURSE_DATA, paths to the instructor's files) reaches student code.
    private static readonly string[] PassedThrough =
        ["PATH", "DOTNET_ROOT", "DOTNET_ROOT_X64", "DOTNET_ROOT_ARM64", "LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT", "WINDIR"];

    public static async Task<SandboxResult> RunAsync(string notebookPath, string workRoot, string resultsPath, int cellCount, SandboxLimits limits, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var token = WorkerProtocol.NewToken();
        var start = new ProcessStartInfo(limits.RunAs is null ? KernelSpec.DotnetHost() : UnixAccount.SetPriv()!)
        {
            WorkingDirectory = Path.GetDirectoryName(notebookPath)!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (limits.RunAs is { } account)
        {
            // A new uid and gid, no supplementary groups, no way back up through setuid programs.
            foreach (var argument in new[] { $"--reuid={account.Uid}", $"--regid={account.Gid}", "--clear-groups", "--no-new-privs", "--", KernelSpec.DotnetHost() })
                start.ArgumentList.Add(argument);
        }
        foreach (var argument in WorkerCommand(notebookPath, limits)) start.ArgumentList.Add(argument);
        var inherited = PassedThrough.Select(name => (name, Environment.GetEnvironmentVariable(name))).ToList();
        start.Environment.Clear();
        foreach (var (name, value) in inherited)
            if (value is not null) start.Environment[name] = value;
        var home = Path.Combine(workRoot, ".home");
        var temp = Path.Combine(workRoot, ".tmp");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(temp);
        if (limits.RunAs is not null && !OperatingSystem.IsWindows()) OpenToWorker(workRoot, resultsPath);
        start.Environment["HOME"] = home;
        start.Environment["TMPDIR"] = temp;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        // Three quarters of the limit for the managed heap: the runtime, Roslyn and native libraries need the rest.
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + (limits.MemoryBytes / 4 * 3).ToString("X", CultureInfo.InvariantCulture);

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new SandboxResult(RunEnd.FailedToStart, new Dictionary<int, CellRecord>(), null, clock.Elapsed, 0, null,
                $"cannot start {start.FileName}: {e.Message}", "", 0);
        }
        // Both pipes are read to their end (a full pipe would block the worker); stderr's tail explains a crash.
        var stdout = Drain(process.StandardOutput.BaseStream);
        var stderr = Drain(process.StandardError.BaseStream);
        try
        {
            await process.StandardInput.WriteLineAsync(new JsonObject { ["token"] = token, ["results"] = resultsPath }.ToJsonString()).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The worker already ended; its exit code says how.
        }

        var end = RunEnd.Completed;
        long peak = 0, others = 0;
        int polls = 0;
        var exited = process.WaitForExitAsync(CancellationToken.None);
        using (cancellationToken.Register(() => ProcessTree.Kill(process)))
        {
            while (!exited.IsCompleted && !cancellationToken.IsCancellationRequested)
            {
                if (clock.Elapsed > limits.WallClock)
                {
                    end = RunEnd.TimedOut;
                    break;
                }
                // The worker's own memory every poll; the processes it may have started once a second (a scan of /proc).
                if (polls++ % OthersEvery == 0) others = ProcessTree.OthersResidentBytes(process);
                long resident = ProcessTree.ResidentBytes(process) + others;
                peak = Math.Max(peak, resident);
                if (resident > limits.MemoryBytes)
                {
                    end = RunEnd.OutOfMemory;
                    break;
                }
                await Task.WhenAny(exited, Task.Delay(Poll, CancellationToken.None)).ConfigureAwait(false);
            }
        }
        ProcessTree.Kill(process); // at a limit; otherwise whatever the worker left running in its group
        var elapsed = clock.Elapsed;
        int? exitCode = await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None)).ConfigureAwait(false) == exited
            ? process.ExitCode : null;
        cancellationToken.ThrowIfCancellationRequested();

        var report = WorkerProtocol.Read(resultsPath, token, cellCount);
        if (end == RunEnd.Completed && !report.Done) end = RunEnd.Ended;
        var errorTail = await Tail(stderr).ConfigureAwait(false);
        _ = await Tail(stdout).ConfigureAwait(false);
        return new SandboxResult(end, report.Cells, exitCode, elapsed, peak, report.LastStarted, report.RunError, errorTail, report.RejectedLines);
    }

    // The worker runs as another user (Linux only, checked by UnixAccount.Resolve): its folders (not the links into the course copy) and the results file must be
    // writable by it. The grader's own folder stays closed to it (0711: it can pass through, not list).
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void OpenToWorker(string workRoot, string resultsPath)
    {
        const UnixFileMode all = (UnixFileMode)0b111_111_111;
        var folders = new DirectoryInfo(workRoot).EnumerateDirectories("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint });
        foreach (var folder in folders.Append(new DirectoryInfo(workRoot))) File.SetUnixFileMode(folder.FullName, all);
        foreach (var file in Directory.EnumerateFiles(workRoot, "*.ipynb", SearchOption.AllDirectories)) File.SetUnixFileMode(file, all & ~(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute));
        File.WriteAllBytes(resultsPath, []);
        File.SetUnixFileMode(resultsPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
        File.SetUnixFileMode(Path.GetDirectoryName(resultsPath)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    /// <summary>The worker's command line after the dotnet host: this assembly, the command, the notebook and limits.</summary>
    private static IEnumerable<string> WorkerCommand(string notebookPath, SandboxLimits limits)
    {
        var assembly = typeof(Sandbox).Assembly.Location;
        if (string.IsNullOrEmpty(assembly)) throw new InvalidOperationException("cannot locate Course.Notebooks.dll to start the grading worker (single-file publish is not supported)");
        return [assembly, GradeWorker.CommandName, Path.GetFileName(notebookPath),
            "--timeout", limits.WallClock.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            "--mode", limits.TestMode ? "test" : "full"];
    }

    // Reads a stream to its end keeping only its last TailBytes: a submission printing gigabytes costs no memory here.
    private static Task<byte[]> Drain(Stream stream) => Task.Run(async () =>
    {
        var tail = new Queue<byte[]>();
        long kept = 0;
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                tail.Enqueue(buffer[..read]);
                kept += read;
                while (kept - tail.Peek().Length >= TailBytes) kept -= tail.Dequeue().Length;
            }
        }
        catch (IOException)
        {
        }
        return tail.SelectMany(b => b).ToArray();
    });

    // The drained text, or nothing when a process the worker started still holds the pipe open.
    private static async Task<string> Tail(Task<byte[]> drained)
    {
        if (await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false) != drained) return "";
        var bytes = await drained.ConfigureAwait(false);
        var text = Encoding.UTF8.GetString(bytes.Length > TailBytes ? bytes[^TailBytes..] : bytes);
        return text.Trim();
    }
}
