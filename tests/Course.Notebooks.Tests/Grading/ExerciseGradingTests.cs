using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Course.Notebooks.Cli;
using Course.Notebooks.Grading;
using static Course.Notebooks.Tests.Grading.GradingSupport;

namespace Course.Notebooks.Tests.Grading;

/// <summary>The grader on the course's real exercises, with the course library and MNIST staged beside them.</summary>
[Trait("Category", "Grading")]
public class ExerciseGradingTests
{
    private static string Exercise1 => Path.Combine(RepoPaths.Notebooks, "exercises", "01-discriminative-or-generative.ipynb");

    public static TheoryData<string> Exercises() =>
        new(Directory.GetFiles(Path.Combine(RepoPaths.Notebooks, "exercises"), "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    private static Model.Cell SolutionCell()
    {
        var exercise = Exercise.Read(Exercise1);
        return exercise.Notebook.Cells[exercise.SolutionCells.Single()];
    }

    // The instructor's solution cell with task d marked generative (a distribution named, so the answer is well formed).
    private static string WrongD()
    {
        var solution = SolutionCell().Source;
        var wrong = solution.Replace("answers['d'] = new(Kind.Discriminative,", "answers['d'] = new(Kind.Generative,", StringComparison.Ordinal)
            .Replace("learnt from labelled pairs.\");", "learnt from labelled pairs.\", \"p(x1, x2)\");", StringComparison.Ordinal);
        Assert.NotEqual(solution, wrong);
        return wrong;
    }

    [Fact]
    public async Task Real_exercise_scores_solution_full_released_zero_a_wrong_task_exactly_and_catches_tampering()
    {
        var root = TestNotebooks.TempDirectory();
        var submissions = Path.Combine(root, "submissions");
        Directory.CreateDirectory(submissions);
        var solution = SolutionCell();
        var solutionId = solution.Id;
        File.Copy(Exercise1, Path.Combine(submissions, "1-solution.ipynb"));
        Submit(Exercise1, submissions, "2-released", _ => { });
        Submit(Exercise1, submissions, "3-wrong-d", n => Cell(n, solutionId).Source = WrongD());
        // Full marks otherwise, but it edits the course library it was given (made read-only: it makes it writable first).
        Submit(Exercise1, submissions, "4-tamper", n =>
        {
            Cell(n, solutionId).Source = solution.Source;
            n.Cells.Insert(n.Cells.FindIndex(c => c.Id == solutionId) + 1, Model.Cell.Code("""
                using System.IO;
                var lab = Path.GetFullPath("../../artifacts/lib/Course.Lab.dll");
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(lab, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                File.AppendAllText(lab, "tampered");
                """));
        });
        File.Copy(Exercise1, Path.Combine(submissions, "5-solution-again.ipynb"));
        var library = Path.Combine(RepoPaths.Root, "artifacts", "lib", "Course.Lab.dll");
        var libraryBefore = Sha256(library);
        var exerciseBefore = Sha256(Exercise1);

        var (exit, output) = await GradeAsync(Exercise1, submissions, Path.Combine(root, "out"), timeoutSeconds: 300);

        Assert.True(exit == 0, output);
        var csv = Csv(Path.Combine(root, "out"));
        Assert.Equal(("10", "10", "ok"), csv["1-solution"]);
        Assert.Equal(("0", "10", "ok"), csv["2-released"]);
        Assert.Equal(("9", "10", "ok"), csv["3-wrong-d"]);
        Assert.Equal(("0", "10", "tampered"), csv["4-tamper"]);
        Assert.Equal(("10", "10", "ok"), csv["5-solution-again"]); // a fresh copy of the library after the tampering
        var wrong = Results(Path.Combine(root, "out"), "3-wrong-d");
        Assert.Empty(GradescopeProblems(wrong));
        Assert.Equal(["Task d: the kind is right"], wrong["tests"]!.AsArray().Where(t => t!["score"]!.GetValue<double>() == 0).Select(t => t!["name"]!.GetValue<string>()));
        Assert.Contains("Check failed: task d: the kind is right", TestNamed(wrong, "Task d: the kind is right")["output"]!.GetValue<string>());
        Assert.Contains("artifacts/lib/Course.Lab.dll", Results(Path.Combine(root, "out"), "4-tamper")["output"]!.GetValue<string>());
        Assert.Equal(libraryBefore, Sha256(library));
        Assert.Equal(exerciseBefore, Sha256(Exercise1));
    }

    [Theory]
    [MemberData(nameof(Exercises))]
    public async Task Release_writes_the_student_version_and_its_checks_pass(string exercise)
    {
        var path = Path.Combine(RepoPaths.Notebooks, "exercises", exercise);
        var outDirectory = TestNotebooks.TempDirectory();
        var stdout = new StringWriter();
        var options = new GradeOptions(TimeSpan.FromMinutes(5), GradeOptions.DefaultMemoryBytes, TestMode: true);

        int exit = await ReleaseCommand.ReleaseAsync(new ReleaseCommand.ReleaseRequest([path], outDirectory, options, Gradescope: false, Check: true), stdout, new StringWriter());

        Assert.True(exit == 0, stdout.ToString());
        var max = Exercise.FormatPoints(Exercise.Read(path).MaxScore);
        Assert.Matches($@"^PASS .*{System.Text.RegularExpressions.Regex.Escape(exercise)} -> .*; solution {max}/{max} in [0-9.]+ s, released 0/{max}\n", stdout.ToString());
        var released = Model.NotebookFile.Read(Directory.GetFiles(outDirectory, exercise, SearchOption.AllDirectories).Single());
        Assert.DoesNotContain(released.Cells, c => c.Type == Model.CellType.Code && c.Source.Contains(Exercise.BeginSolution, StringComparison.Ordinal));
        Assert.DoesNotContain(released.Cells, c => c.HasTag(Exercise.HiddenTestsTag));
        Assert.Contains(released.Cells, c => c.Source.Contains(SolutionRegions.Placeholder[1], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gradescope_package_runs_its_autograder_on_a_submission()
    {
        var root = TestNotebooks.TempDirectory();
        var zip = Path.Combine(root, "autograder.zip");
        var options = new GradeOptions(TimeSpan.FromMinutes(5), GradeOptions.DefaultMemoryBytes);
        GradescopePackage.Write(Exercise.Read(Exercise1), options, zip);
        // Deterministic: the same exercise packs to the same bytes (checked on the tiny exercise: no library to pack).
        var (first, second) = (Path.Combine(root, "first.zip"), Path.Combine(root, "second.zip"));
        GradescopePackage.Write(Exercise.Read(TinyExercise), options, first);
        GradescopePackage.Write(Exercise.Read(TinyExercise), options, second);
        Assert.Equal(Sha256(first), Sha256(second));

        var autograder = Path.Combine(root, "autograder");
        using (var archive = ZipFile.OpenRead(zip))
        {
            var names = archive.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("setup.sh", names);
            Assert.Contains("run_autograder", names);
            Assert.Contains("runner/Course.Notebooks.dll", names);
            Assert.Contains("course/artifacts/lib/Course.Lab.dll", names);
            Assert.Contains("course/data/mnist/train-images-idx3-ubyte.gz", names);
            Assert.Equal(["course/notebooks/exercises/01-discriminative-or-generative.ipynb"], names.Where(n => n.EndsWith(".ipynb", StringComparison.Ordinal)));
            Assert.Equal(0b111_101_101, (archive.GetEntry("run_autograder")!.ExternalAttributes >> 16) & 0x1FF);
            archive.ExtractToDirectory(Path.Combine(autograder, "source"));
        }
        Assert.Equal(0, Bash($"-n {Path.Combine(autograder, "source", "setup.sh")}", autograder, out var syntax));
        Assert.Equal("", syntax.Trim());
        Directory.CreateDirectory(Path.Combine(autograder, "submission"));
        var submitted = StudentVersion.Create(Exercise.Read(Exercise1));
        var solution = SolutionCell();
        submitted.Cells.Single(c => c.Id == solution.Id).Source = WrongD();
        Model.NotebookFile.Write(submitted, Path.Combine(autograder, "submission", "my answers.ipynb"));

        int exit = Bash(Path.Combine(autograder, "source", "run_autograder"), autograder, out var log, ("AUTOGRADER_ROOT", autograder));

        Assert.True(exit == 0, log);
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(autograder, "results", "results.json")))!.AsObject();
        Assert.Empty(GradescopeProblems(results));
        Assert.Equal(9, Score(results));
        Assert.Equal(7, results["tests"]!.AsArray().Count);
        Assert.Equal(["after_published"], results["tests"]!.AsArray().Where(t => t!["name"]!.GetValue<string>().StartsWith("The distributions", StringComparison.Ordinal))
            .Select(t => t!["visibility"]!.GetValue<string>()));
    }

    // Runs bash with the test's dotnet first on PATH; returns the exit code and all output.
    private static int Bash(string arguments, string directory, out string output, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments.Split(' ', 2)) start.ArgumentList.Add(argument);
        var dotnet = Path.GetDirectoryName(Course.Notebooks.Kernel.KernelSpec.DotnetHost());
        if (!string.IsNullOrEmpty(dotnet)) start.Environment["PATH"] = dotnet + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        output = process.StandardOutput.ReadToEnd() + stderr.Result;
        process.WaitForExit();
        return process.ExitCode;
    }
}
