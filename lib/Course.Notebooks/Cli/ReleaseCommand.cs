using System.CommandLine;
using Course.Notebooks.Grading;
using Course.Notebooks.Model;

namespace Course.Notebooks.Cli;

/// <summary>
/// release &lt;notebook or folder&gt;... --out DIR [--gradescope] [--no-check] [--timeout SECONDS] [--memory MB] [--mode full|test]
/// </summary>
public static class ReleaseCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("exercises")
        {
            Description = "Instructor notebooks (.ipynb) or folders of them.",
            Arity = ArgumentArity.OneOrMore,
        };
        var outDirectory = new Option<string>("--out")
        {
            Description = "Folder for the student versions (mirroring the notebooks' paths) and, with --gradescope, gradescope/*.zip.",
            DefaultValueFactory = _ => Path.Combine("artifacts", "release"),
        };
        var gradescope = new Option<bool>("--gradescope") { Description = "Also write a Gradescope autograder zip per exercise." };
        var noCheck = new Option<bool>("--no-check") { Description = "Skip grading the solution and the student version." };
        var limits = new GradeCommand.LimitOptions();
        var command = new Command("release", "Write student versions of exercises (no solutions, no hidden tests) and check their tests.")
        {
            paths, outDirectory, gradescope, noCheck,
        };
        foreach (var option in limits.All) command.Options.Add(option);
        command.SetAction((result, cancellationToken) =>
        {
            GradeOptions options;
            try
            {
                options = limits.Read(result);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Task.FromResult(2);
            }
            return ReleaseAsync(new ReleaseRequest(result.GetValue(paths) ?? [], result.GetValue(outDirectory)!, options,
                result.GetValue(gradescope), !result.GetValue(noCheck)), Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    public sealed record ReleaseRequest(IReadOnlyList<string> Paths, string OutDirectory, GradeOptions Options, bool Gradescope, bool Check);

    /// <summary>
    /// Releases every exercise; 0 when each was written and passed its checks, 1 when a check failed (the files are
    /// still written, so the instructor can look), 2 for bad arguments or a notebook that breaks the conventions.
    /// </summary>
    public static async Task<int> ReleaseAsync(ReleaseRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<NotebookJob> jobs;
        var exercises = new List<(NotebookJob Job, Exercise Exercise)>();
        try
        {
            jobs = NotebookDiscovery.Find(request.Paths, request.OutDirectory);
            if (jobs.Count == 0) throw new ArgumentException($"no notebooks found in {string.Join(", ", request.Paths)}");
            foreach (var job in jobs) exercises.Add((job, Exercise.Read(job.Path)));
        }
        catch (Exception e) when (e is ArgumentException or ExerciseException or NotebookFormatException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }

        int failed = 0;
        var zips = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (job, exercise) in exercises)
        {
            var released = StudentVersion.Create(exercise);
            var output = job.OutputStem + ".ipynb";
            NotebookFile.Write(released, output);
            var problems = new List<string>();
            if (exercise.Tests.Count == 0) problems.Add("no test cells: tag code cells 'tests' or 'hidden-tests' and give them course.points");
            string checks = "";
            if (request.Check && exercise.Tests.Count > 0)
            {
                try
                {
                    (checks, var found) = await CheckAsync(job.Path, released, request.Options, cancellationToken).ConfigureAwait(false);
                    problems.AddRange(found);
                }
                catch (ExerciseException e)
                {
                    problems.Add(e.Message);
                }
            }
            if (request.Gradescope)
            {
                var zip = Path.Combine(request.OutDirectory, "gradescope", Path.GetFileNameWithoutExtension(job.Path) + ".zip");
                if (zips.TryGetValue(zip, out var other))
                    problems.Add($"its Gradescope package would overwrite {other}'s ({zip}): give the exercises different file names");
                else
                {
                    zips[zip] = job.Path;
                    try
                    {
                        GradescopePackage.Write(exercise, request.Options, zip);
                    }
                    catch (Exception e) when (e is ExerciseException or IOException or UnauthorizedAccessException)
                    {
                        problems.Add($"no Gradescope package: {e.Message}");
                        zips.Remove(zip);
                    }
                }
            }
            stdout.WriteLine($"{(problems.Count == 0 ? "PASS" : "FAIL")} {job.Path} -> {output}{checks}");
            foreach (var problem in problems) stdout.WriteLine($"     {problem}");
            if (problems.Count > 0) failed++;
        }
        foreach (var (zip, exercise) in zips) stdout.WriteLine($"Gradescope: {zip} ({exercise})");
        stdout.WriteLine($"{exercises.Count} exercise(s) released to {request.OutDirectory}, {failed} with problems");
        return failed == 0 ? 0 : 1;
    }

    // The instructor's notebook must earn every point; the student version none of the points of any test.
    private static async Task<(string Summary, IReadOnlyList<string> Problems)> CheckAsync(string path, Notebook released, GradeOptions options, CancellationToken cancellationToken)
    {
        using var grader = Grader.Create(path, options);
        var fileName = Path.GetFileName(path);
        var solution = await grader.GradeAsync("solution", fileName, grader.Exercise.Notebook, cancellationToken).ConfigureAwait(false);
        var student = await grader.GradeAsync("released", fileName, released, cancellationToken).ConfigureAwait(false);
        var problems = new List<string>();
        foreach (var test in solution.Tests.Where(t => !t.Passed))
            problems.Add($"the solution fails {Describe(test.Test)}: {test.Output}");
        foreach (var test in student.Tests.Where(t => t.Passed && t.Test.Points > 0))
            problems.Add($"free points: {Describe(test.Test)} passes on the released notebook, without a solution");
        if (solution.Status != GradeStatus.Ok) problems.Add($"the solution did not run to its end: {solution.Message}");
        var max = Exercise.FormatPoints(grader.Exercise.MaxScore);
        return ($"; solution {Exercise.FormatPoints(solution.Score)}/{max} in {Grader.Seconds(solution.Elapsed)} s, released {Exercise.FormatPoints(student.Score)}/{max}", problems);
    }

    private static string Describe(TestCell test) =>
        $"{(test.Hidden ? "hidden test" : "test")} \"{test.Name}\" ({test.Label}, {Exercise.FormatPoints(test.Points)} point(s))";
}
