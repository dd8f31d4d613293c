using System.Globalization;
using Course.Notebooks.Execution;
using Course.Notebooks.Model;

namespace Course.Notebooks.Grading;

/// <summary>How a submission's grading went, beside its score.</summary>
public enum GradeStatus
{
    /// <summary>The notebook ran to its end; each test scored as it ran.</summary>
    Ok,
    TimedOut,
    OutOfMemory,
    /// <summary>The process ended before the notebook did: Environment.Exit, a crash (stack overflow), a kill.</summary>
    Ended,
    /// <summary>Not a notebook the grader can read; nothing ran.</summary>
    Unreadable,
    /// <summary>The run changed the course files it was given: scored 0.</summary>
    Tampered,
    /// <summary>The grader could not run the submission (its fault, not the student's); scored 0, grade again.</summary>
    GraderError,
}

/// <summary>One test's outcome.</summary>
public sealed record TestResult(TestCell Test, double Score, bool Passed, string Output);

/// <summary>A graded submission.</summary>
/// <param name="Feedback">The notebook that ran, with outputs and the grader's notes; null when nothing could run.</param>
public sealed record SubmissionGrade(
    string Name,
    GradeStatus Status,
    double Score,
    double MaxScore,
    IReadOnlyList<TestResult> Tests,
    string Message,
    TimeSpan Elapsed,
    long PeakMemoryBytes,
    Notebook? Feedback);

/// <summary>Settings of a grading run.</summary>
/// <param name="Timeout">Wall-clock limit of one submission's process.</param>
/// <param name="MemoryBytes">Resident-memory limit of one submission's processes.</param>
/// <param name="TestMode">Run the exercise's small test profile (metadata course.test_parameters).</param>
/// <param name="RunAs">A Unix user to run submissions as (the grader must run as root), so their code cannot read the grader's files.</param>
public sealed record GradeOptions(TimeSpan Timeout, long MemoryBytes, bool TestMode = false, UnixAccount? RunAs = null)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);
    public const long DefaultMemoryBytes = 4L << 30;
}

/// <summary>
/// Grades submissions of one exercise. Each submission is merged with the instructor's cells
/// (<see cref="SubmissionMerger"/>), run in its own process in a folder of its own that holds only the merged notebook
/// and links to a private copy of the course files (<see cref="Staging"/>), and scored from the worker's per-cell
/// results: a test earns its points when its cell ran without an exception. Nothing the student's code prints
/// counts, and the instructor's files are only read.
/// </summary>
public sealed class Grader : IDisposable
{
    private readonly string _directory;
    private readonly Staging _staging;
    private int _runs;

    private Grader(Exercise exercise, GradeOptions options, string directory, Staging staging)
    {
        Exercise = exercise;
        Options = options;
        _directory = directory;
        _staging = staging;
    }

    public Exercise Exercise { get; }

    public GradeOptions Options { get; }

    /// <summary>Reads the exercise and copies the course files it needs; throws <see cref="ExerciseException"/> or <see cref="NotebookFormatException"/>.</summary>
    public static Grader Create(string instructorNotebook, GradeOptions options)
    {
        var exercise = Exercise.Read(instructorNotebook);
        var layout = CourseLayout.For(exercise);
        var directory = Path.Combine(Path.GetTempPath(), $"course-grade-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            return new Grader(exercise, options, directory, new Staging(layout, Path.Combine(directory, "course")));
        }
        catch
        {
            Staging.Delete(directory);
            throw;
        }
    }

    /// <summary>Grades one submission file; <paramref name="name"/> names it in results and messages.</summary>
    public Task<SubmissionGrade> GradeAsync(string name, string submissionPath, CancellationToken cancellationToken = default)
    {
        Notebook submission;
        try
        {
            submission = NotebookFile.Read(submissionPath);
        }
        catch (NotebookFormatException e)
        {
            return Task.FromResult(NotGraded(name, GradeStatus.Unreadable, $"The submission is not a notebook the grader can read: {e.Message}"));
        }
        return GradeAsync(name, Path.GetFileName(submissionPath), submission, cancellationToken);
    }

    /// <summary>Grades one submission; <paramref name="fileName"/> (a .ipynb name) names the notebook in error messages.</summary>
    public async Task<SubmissionGrade> GradeAsync(string name, string fileName, Notebook submission, CancellationToken cancellationToken = default)
    {
        var merged = SubmissionMerger.Merge(Exercise, submission);
        var blocked = NameGuard.Check(Exercise, merged);

        int run = ++_runs;
        var workRoot = Path.Combine(_directory, $"run-{run:D4}");
        var resultsPath = Path.Combine(_directory, $"results-{run:D4}.jsonl");
        SandboxResult result;
        try
        {
            var folder = _staging.LinkInto(workRoot);
            var notebookPath = Path.Combine(folder, SafeFileName(fileName));
            NotebookFile.Write(merged.Notebook, notebookPath);
            var limits = new SandboxLimits(Options.Timeout, Options.MemoryBytes, Options.TestMode, Options.RunAs);
            result = await Sandbox.RunAsync(notebookPath, workRoot, resultsPath, merged.Notebook.Cells.Count, limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The grader could not lay out the run (a full disk, say): this submission is not graded, the batch goes on.
            result = new SandboxResult(RunEnd.FailedToStart, new Dictionary<int, CellRecord>(), null, TimeSpan.Zero, 0, null,
                $"cannot prepare the run in {workRoot}: {e.Message}", "", 0);
        }
        finally
        {
            Staging.Delete(workRoot);
            File.Delete(resultsPath);
        }

        var changes = _staging.Changes();
        if (changes.Count > 0) _staging.Rebuild();
        return Score(name, merged, blocked, result, changes);
    }

    private SubmissionGrade Score(string name, MergedNotebook merged, IReadOnlyDictionary<int, string> blocked, SandboxResult run, IReadOnlyList<string> changes)
    {
        var stoppedIn = run.LastStartedCell is { } last && run.Cells.TryGetValue(last, out var record) && record.Status is null ? last : (int?)null;
        var status = changes.Count > 0 ? GradeStatus.Tampered : run.End switch
        {
            RunEnd.Completed => GradeStatus.Ok,
            RunEnd.TimedOut => GradeStatus.TimedOut,
            RunEnd.OutOfMemory => GradeStatus.OutOfMemory,
            RunEnd.Ended => GradeStatus.Ended,
            _ => GradeStatus.GraderError,
        };
        // Why the run stopped: a short form for each test, the long one (with the process's last error output) for the summary.
        var exitCode = run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
        string stop = status switch
        {
            GradeStatus.TimedOut => $"the run was stopped at the time limit, {Seconds(Options.Timeout)} s",
            GradeStatus.OutOfMemory => $"the run was stopped at {Mib(run.PeakMemoryBytes)} MiB, over the memory limit of {Mib(Options.MemoryBytes)} MiB",
            GradeStatus.Ended => $"the run's process ended (exit code {exitCode}) before the notebook was done",
            GradeStatus.Tampered => "the run changed the course files it was given",
            GradeStatus.GraderError => $"the grader could not run the notebook: {run.RunError}",
            _ => run.RunError ?? "the notebook stopped before this cell",
        };
        var where = stoppedIn is { } cell ? $" while running cell {cell + 1}" : "";
        string ending = status switch
        {
            GradeStatus.Ok => "",
            GradeStatus.TimedOut when run.PeakMemoryBytes > Options.MemoryBytes / 2 =>
                $"{Capital(stop)}{where} (its memory had reached {Mib(run.PeakMemoryBytes)} MiB of {Mib(Options.MemoryBytes)}).",
            GradeStatus.Ended => $"{Capital(stop)}{where}: Environment.Exit, a crash such as a stack overflow, or a kill."
                + (run.ErrorTail.Length > 0 ? $" Its last error output: {Cut(run.ErrorTail, 600)}" : ""),
            GradeStatus.Tampered => $"The run changed the course files it was given ({string.Join(", ", changes.Take(5))}): the submission scores 0.",
            _ => $"{Capital(stop)}{where}.",
        };

        var tests = new List<TestResult>();
        foreach (var test in Exercise.Tests)
        {
            int index = merged.TestCells[test.Index];
            var ran = run.Cells.GetValueOrDefault(index);
            bool passed = ran?.Status == CellStatus.Ok && !blocked.ContainsKey(test.Index) && status != GradeStatus.Tampered;
            string output;
            if (blocked.TryGetValue(test.Index, out var reason)) output = reason;
            else if (status == GradeStatus.Tampered) output = $"not scored: {stop}";
            else if (ran is null) output = $"not run: {stop}";
            else if (ran.Status is null) output = $"did not finish: {stop} while running this cell";
            else output = passed ? "passed" : $"failed: {ran.Error}";
            var printed = ran is null ? "" : Cut(string.Concat(ran.Outputs.OfType<StreamOutput>().Select(s => s.Text)).Trim(), 2000);
            if (printed.Length > 0) output += "\n" + printed;
            tests.Add(new TestResult(test, passed ? test.Points : 0, passed, output));
        }

        double score = tests.Sum(t => t.Score);
        var summary = $"{Exercise.FormatPoints(score)} of {Exercise.FormatPoints(Exercise.MaxScore)} points. "
            + (status == GradeStatus.Ok ? $"The notebook ran to its end in {Seconds(run.Elapsed)} s." : $"The notebook did not run to its end. {ending}");
        if (run.RunError is { } runError && status == GradeStatus.Ok) summary += $" {runError}";
        foreach (var note in merged.Notes) summary += $"\nNote: {note}.";
        return new SubmissionGrade(name, status, score, Exercise.MaxScore, tests, summary, run.Elapsed, run.PeakMemoryBytes,
            Feedback(merged, run, tests, summary));
    }

    // The graded notebook: each cell's outputs, a line under each test, and the summary in a last cell (appended, so
    // "cell 5" in messages is the fifth cell here too).
    private static Notebook Feedback(MergedNotebook merged, SandboxResult run, IReadOnlyList<TestResult> tests, string summary)
    {
        var feedback = StudentVersion.Copy(merged.Notebook);
        int count = 0;
        for (int i = 0; i < feedback.Cells.Count; i++)
        {
            if (!run.Cells.TryGetValue(i, out var record)) continue;
            feedback.Cells[i].Outputs.AddRange(record.Outputs);
            feedback.Cells[i].ExecutionCount = ++count;
        }
        foreach (var test in tests)
        {
            var line = $"Grader: {(test.Passed ? "passed" : "no points")}, {Exercise.FormatPoints(test.Score)} of {Exercise.FormatPoints(test.Test.Points)} "
                + $"point(s) for \"{test.Test.Name}\"" + (test.Passed ? "" : $"\n{test.Output}");
            feedback.Cells[merged.TestCells[test.Test.Index]].Outputs.Add(new DisplayDataOutput(new MimeBundle { ["text/plain"] = line }));
        }
        feedback.Cells.Add(Cell.Markdown($"## Grader\n\n{summary.Replace("\n", "  \n", StringComparison.Ordinal)}"));
        return feedback;
    }

    /// <summary>A submission that could not be run at all: every test 0, <paramref name="message"/> saying why.</summary>
    public SubmissionGrade NotGraded(string name, GradeStatus status, string message) =>
        new(name, status, 0, Exercise.MaxScore,
            Exercise.Tests.Select(t => new TestResult(t, 0, false, $"not run: {message}")).ToList(),
            $"0 of {Exercise.FormatPoints(Exercise.MaxScore)} points. {message}", TimeSpan.Zero, 0, null);

    // The submission's own file name where it is a plain one; the sandbox folder holds nothing else.
    private static string SafeFileName(string fileName)
    {
        var name = Path.GetFileName(fileName);
        if (name.Length == 0 || name.StartsWith('.') || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) name = "submission.ipynb";
        return name.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) ? name : name + ".ipynb";
    }

    internal static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Mib(long bytes) => (bytes >> 20).ToString(CultureInfo.InvariantCulture);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max] + " [...]";

    public void Dispose() => Staging.Delete(_directory);
}
