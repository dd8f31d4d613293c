using System.CommandLine;
using System.Globalization;
using Course.Notebooks.Grading;
using Course.Notebooks.Model;

namespace Course.Notebooks.Cli;

/// <summary>
/// grade &lt;instructor notebook&gt; [&lt;submission notebook or folder&gt;...] [--out DIR] [--timeout SECONDS] [--memory MB]
/// [--mode full|test] [--gradescope]; and the hidden grade-worker that runs one submission.
/// </summary>
public static class GradeCommand
{
    public const string GradescopeRoot = "/autograder";

    /// <summary>--timeout, --memory and --mode, shared by grade and release.</summary>
    internal sealed class LimitOptions
    {
        public Option<double> Timeout { get; } = new("--timeout")
        {
            Description = "Wall-clock limit of one submission's run, in seconds (start-up included).",
            DefaultValueFactory = _ => GradeOptions.DefaultTimeout.TotalSeconds,
        };

        public Option<int> Memory { get; } = new("--memory")
        {
            Description = "Memory limit of one submission's run, in MiB (resident memory, managed and native).",
            DefaultValueFactory = _ => (int)(GradeOptions.DefaultMemoryBytes >> 20),
        };

        public Option<string> Mode { get; } = new("--mode")
        {
            Description = "full, or test: run the exercise's small profile (metadata course.test_parameters).",
            DefaultValueFactory = _ => "full",
        };

        public LimitOptions() => Mode.AcceptOnlyFromAmong("full", "test");

        public IEnumerable<Option> All => [Timeout, Memory, Mode];

        public GradeOptions Read(ParseResult result)
        {
            double seconds = result.GetValue(Timeout);
            int mib = result.GetValue(Memory);
            if (!(seconds > 0) || double.IsInfinity(seconds))
                throw new ArgumentException($"--timeout {seconds.ToString(CultureInfo.InvariantCulture)}: must be a positive number of seconds");
            if (mib < 64) throw new ArgumentException($"--memory {mib}: must be at least 64 MiB");
            return new GradeOptions(TimeSpan.FromSeconds(seconds), (long)mib << 20, result.GetValue(Mode) == "test");
        }
    }

    public static Command Create()
    {
        var instructor = new Argument<string>("exercise") { Description = "The instructor's notebook: solutions, visible and hidden tests." };
        var submissions = new Argument<string[]>("submissions")
        {
            Description = "Submitted notebooks (.ipynb) or folders of them (searched recursively). With --gradescope: /autograder/submission.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var outDirectory = new Option<string>("--out")
        {
            Description = "Folder for each submission's results.json and graded notebook, and grades.csv. With --gradescope: /autograder/results.",
        };
        var limits = new LimitOptions();
        var gradescope = new Option<bool>("--gradescope")
        {
            Description = "Grade one Gradescope submission: read /autograder/submission, write /autograder/results/results.json.",
        };
        var runAs = new Option<string>("--run-as")
        {
            Description = "Run each submission as this Unix user (the grader must be root; Linux, with setpriv): its code cannot read the grader's files.",
        };
        var command = new Command("grade", "Grade submissions of an exercise, each in its own process with time and memory limits.")
        {
            instructor, submissions, outDirectory, gradescope, runAs,
        };
        foreach (var option in limits.All) command.Options.Add(option);
        command.SetAction((result, cancellationToken) =>
        {
            GradeOptions options;
            try
            {
                options = limits.Read(result);
                if (result.GetValue(runAs) is { } user) options = options with { RunAs = UnixAccount.Resolve(user) };
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Task.FromResult(2);
            }
            var request = new GradeRequest(result.GetValue(instructor)!, result.GetValue(submissions) ?? [], result.GetValue(outDirectory),
                options, result.GetValue(gradescope));
            return GradeAsync(request, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>The hidden command the grader starts for each submission; not for people.</summary>
    public static Command CreateWorker()
    {
        var notebook = new Argument<string>("notebook");
        var limits = new LimitOptions();
        var command = new Command(GradeWorker.CommandName, "Internal: run one merged submission for grade.") { notebook, limits.Timeout, limits.Mode };
        command.Hidden = true;
        command.SetAction(async result =>
        {
            int code = await GradeWorker.RunAsync(result.GetValue(notebook)!, TimeSpan.FromSeconds(result.GetValue(limits.Timeout)),
                result.GetValue(limits.Mode) == "test", Console.In, Console.Error).ConfigureAwait(false);
            // A cell abandoned after its time limit may still be running: end the process, not just Main.
            Environment.Exit(code);
            return code;
        });
        return command;
    }

    public sealed record GradeRequest(string Exercise, IReadOnlyList<string> Submissions, string? OutDirectory, GradeOptions Options, bool Gradescope);

    /// <summary>Grades every submission; 0 when each was graded (whatever its score), 1 when the grader failed on one, 2 for bad arguments.</summary>
    public static async Task<int> GradeAsync(GradeRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var submissionArguments = request.Submissions.Count > 0 ? request.Submissions
            : request.Gradescope ? [Path.Combine(GradescopeRoot, "submission")] : [];
        var outDirectory = request.OutDirectory ?? (request.Gradescope ? Path.Combine(GradescopeRoot, "results") : Path.Combine("artifacts", "grades"));
        if (submissionArguments.Count == 0)
        {
            stderr.WriteLine("error: no submissions given (notebooks or folders of them)");
            return 2;
        }
        Grader grader;
        try
        {
            grader = Grader.Create(request.Exercise, request.Options);
        }
        catch (Exception e) when (e is ExerciseException or NotebookFormatException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
        using (grader)
        {
            if (request.Gradescope) return await GradescopeAsync(grader, submissionArguments, outDirectory, stdout, cancellationToken).ConfigureAwait(false);

            IReadOnlyList<(string Name, string Path)> found;
            try
            {
                found = FindSubmissions(submissionArguments, grader.Exercise.Path);
            }
            catch (ArgumentException e)
            {
                stderr.WriteLine($"error: {e.Message}");
                return 2;
            }
            stdout.WriteLine($"Grading {found.Count} submission(s) of {request.Exercise} ({Exercise.FormatPoints(grader.Exercise.MaxScore)} points, "
                + $"{grader.Exercise.Tests.Count} tests); limits {Grader.Seconds(request.Options.Timeout)} s, {request.Options.MemoryBytes >> 20} MiB each");
            var grades = new List<SubmissionGrade>();
            foreach (var (name, path) in found)
            {
                var grade = await grader.GradeAsync(name, path, cancellationToken).ConfigureAwait(false);
                grades.Add(grade);
                GradeReport.WriteSubmission(grade, Path.Combine(outDirectory, name), Path.GetFileName(path));
                GradeReport.WriteCsv(grades, outDirectory); // after each submission: a stopped batch keeps what it graded
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Exercise.FormatPoints(grade.Score),6} / {Exercise.FormatPoints(grade.MaxScore)}  {GradeReport.StatusName(grade.Status),-14} {name}  ({Grader.Seconds(grade.Elapsed)} s)"));
                if (grade.Status == GradeStatus.GraderError) stderr.WriteLine($"error: {name}: {grade.Message}");
            }
            stdout.WriteLine($"grades: {Path.Combine(outDirectory, GradeReport.GradesFileName)}");
            return grades.Any(g => g.Status == GradeStatus.GraderError) ? 1 : 0;
        }
    }

    // One student's files: the notebook named like the exercise, else the only notebook there.
    private static async Task<int> GradescopeAsync(Grader grader, IReadOnlyList<string> arguments, string outDirectory, TextWriter stdout, CancellationToken cancellationToken)
    {
        var expected = Path.GetFileName(grader.Exercise.Path);
        var notebooks = arguments.SelectMany(a => Directory.Exists(a) ? NotebookDiscovery.InFolder(a) : File.Exists(a) ? [a] : []).ToList();
        var chosen = notebooks.FirstOrDefault(n => Path.GetFileName(n) == expected) ?? (notebooks.Count == 1 ? notebooks[0] : null);
        SubmissionGrade grade;
        if (chosen is null)
        {
            var found = string.Join(", ", notebooks.Select(Path.GetFileName));
            grade = grader.NotGraded("submission", GradeStatus.Unreadable,
                $"Submit the notebook {expected}: the submission holds {(notebooks.Count == 0 ? "no notebook" : $"several notebooks ({found})")}.");
        }
        else
        {
            grade = await grader.GradeAsync(Path.GetFileNameWithoutExtension(chosen), chosen, cancellationToken).ConfigureAwait(false);
        }
        GradeReport.WriteSubmission(grade, outDirectory, expected);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Exercise.FormatPoints(grade.Score)} / {Exercise.FormatPoints(grade.MaxScore)}  {GradeReport.StatusName(grade.Status)}  ({Grader.Seconds(grade.Elapsed)} s)"));
        stdout.WriteLine(grade.Message);
        return grade.Status == GradeStatus.GraderError ? 1 : 0;
    }

    /// <summary>Submissions named by their path under the folder given (or their file name), without .ipynb.</summary>
    internal static IReadOnlyList<(string Name, string Path)> FindSubmissions(IEnumerable<string> arguments, string exercise)
    {
        var found = new List<(string, string)>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var instructor = Path.GetFullPath(exercise);
        foreach (var argument in arguments)
        {
            IEnumerable<(string Name, string Path)> files;
            if (Directory.Exists(argument))
                files = NotebookDiscovery.InFolder(argument).Select(p => (Path.ChangeExtension(Path.GetRelativePath(argument, p), null).Replace('\\', '/'), p));
            else if (File.Exists(argument) && argument.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
                files = [(Path.GetFileNameWithoutExtension(argument), argument)];
            else
                throw new ArgumentException($"{argument}: no such notebook or folder (current folder: {Environment.CurrentDirectory})");
            foreach (var (name, path) in files)
            {
                if (Path.GetFullPath(path) == instructor) continue; // the exercise itself, in the folder of submissions
                if (names.TryGetValue(name, out var other))
                    throw new ArgumentException($"two submissions would share the name '{name}': {other} and {path}");
                names[name] = path;
                found.Add((name, path));
            }
        }
        if (found.Count == 0) throw new ArgumentException($"no submitted notebooks (.ipynb) in {string.Join(", ", arguments)}");
        return found;
    }
}
