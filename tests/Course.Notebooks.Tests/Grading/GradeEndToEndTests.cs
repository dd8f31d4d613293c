using Course.Notebooks.Grading;
using static Course.Notebooks.Tests.Grading.GradingSupport;

namespace Course.Notebooks.Tests.Grading;

/// <summary>
/// `grade` on a folder of submissions of the tiny exercise (6 points: Square 2, greeting 1, hidden Square(-n) 3), each
/// run in its own process: honest, wrong, hostile and broken submissions in one batch.
/// </summary>
[Trait("Category", "Grading")]
public class GradeEndToEndTests
{
    [Fact]
    public async Task A_batch_of_submissions_scores_exactly_what_each_earned()
    {
        var root = TestNotebooks.TempDirectory();
        var exercise = Path.Combine(root, "exercise", "tiny.ipynb"); // a copy: its hash shows it was not modified
        Directory.CreateDirectory(Path.GetDirectoryName(exercise)!);
        File.Copy(TinyExercise, exercise);
        var before = Sha256(exercise);
        var submissions = Path.Combine(root, "submissions");
        Directory.CreateDirectory(submissions);

        Submit(exercise, submissions, "good", Solution(Good));
        Submit(exercise, submissions, "released", _ => { });
        Submit(exercise, submissions, "partial", Solution("int Square(int x) => x * x;\nstring greeting = \"hi\";"));
        // Leaves files in its folder and home for the next submission to find, claims full marks, and exits.
        Submit(exercise, submissions, "exit", Solution("""
            using System.IO;
            File.WriteAllText("secret.txt", "a");
            File.WriteAllText(Path.Combine(Environment.GetEnvironmentVariable("HOME")!, "secret.txt"), "a");
            File.WriteAllText("tiny.ipynb", "overwritten");
            Console.WriteLine("ok: all tests passed, 6 of 6 points");
            Environment.Exit(0);
            """));
        Submit(exercise, submissions, "fake-prints", Solution(
            "int Square(int x) => 0;\nstring greeting = \"\";\nConsole.WriteLine(\"ok: Square(3) is 9\\nok: greeting is hello\\nAll tests passed: 6/6\");"));
        // A wrong Square, its test rewritten to pass, the greeting test deleted: the instructor's tests run in their places.
        Submit(exercise, submissions, "edited-tests", Solution("int Square(int x) => x + 1;\nstring greeting = \"hello\";", n =>
        {
            Cell(n, "test-square").Source = "Console.WriteLine(\"ok: Square(3) is 9\");";
            n.Cells.RemoveAll(c => c.Id == "test-greeting");
        }));
        Submit(exercise, submissions, "redefined-check", Solution(Good.Replace("hello", "bye") + "\nvoid Check(bool ok, string claim) { }"));
        Submit(exercise, submissions, "compile-error", Solution("int Square(int x) => x * ;"));
        Submit(exercise, submissions, "stack-overflow", Solution(Good, After("solution", "int Down(int k) => Down(k + 1) + 1;\nDown(0);")));
        Submit(exercise, submissions, "managed-bomb", Solution(Good, After("solution", "var hog = new byte[int.MaxValue - 64];")));
        Submit(exercise, submissions, "native-bomb", Solution(Good, After("solution",
            "using System.Runtime.InteropServices;\nvar block = new byte[32 << 20];\n"
            + "for (int i = 0; i < 1000; i++) Marshal.Copy(block, 0, Marshal.AllocHGlobal(block.Length), block.Length);")));
        Submit(exercise, submissions, "snoop", Solution(Good, After("solution", """
            using System.IO;
            var root = Path.GetFullPath(Environment.GetEnvironmentVariable("HOME") + "/..");
            Console.WriteLine("files: " + string.Join(";", Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)));
            Console.WriteLine("env: " + string.Join(";", Environment.GetEnvironmentVariables().Keys.Cast<string>().Order()));
            Console.WriteLine("cwd: " + Directory.GetCurrentDirectory() + " root: " + root);
            """)));
        File.WriteAllText(Path.Combine(submissions, "not-json.ipynb"), "{ this is not a notebook");

        var (exit, output) = await GradeAsync(exercise, submissions, Path.Combine(root, "out"), timeoutSeconds: 120, memoryMib: 512);
        var outDirectory = Path.Combine(root, "out");

        Assert.True(exit == 0, output);
        var csv = Csv(outDirectory);
        var expected = new Dictionary<string, (string, string)>
        {
            ["good"] = ("6", "ok"),
            ["released"] = ("0", "ok"),
            ["partial"] = ("5", "ok"),                   // Square 2 + hidden 3; the greeting test fails
            ["exit"] = ("0", "process-ended"),
            ["fake-prints"] = ("0", "ok"),
            ["edited-tests"] = ("1", "ok"),              // only the (restored) greeting test passes
            ["redefined-check"] = ("0", "ok"),
            ["compile-error"] = ("0", "ok"),
            ["stack-overflow"] = ("0", "process-ended"),
            ["managed-bomb"] = ("6", "ok"),              // an OutOfMemoryException in its cell; the tests after it ran
            ["native-bomb"] = ("0", "out-of-memory"),
            ["snoop"] = ("6", "ok"),
            ["not-json"] = ("0", "unreadable"),
        };
        Assert.Equal(expected.Keys.Order(), csv.Keys.Order());
        foreach (var (name, (score, status)) in expected)
        {
            Assert.True((score, "6", status) == csv[name], $"{name}: expected {score}/6 {status}, got {csv[name]}\n{Text(Results(outDirectory, name))}");
            var results = Results(outDirectory, name);
            Assert.Empty(GradescopeProblems(results));
            Assert.Equal(double.Parse(score, System.Globalization.CultureInfo.InvariantCulture), Score(results));
        }

        // Messages name what failed, from the instructor's tests and the runner, never from what the student printed.
        Assert.Contains("failed: partial.ipynb: cell 7, line 2: System.Exception: Check failed: greeting is hello",
            TestNamed(Results(outDirectory, "partial"), "greeting says hello")["output"]!.GetValue<string>());
        Assert.Contains("Check failed: Square(3) is 9", TestNamed(Results(outDirectory, "edited-tests"), "Square squares")["output"]!.GetValue<string>());
        Assert.Contains("process ended (exit code 0)", Results(outDirectory, "exit")["output"]!.GetValue<string>());
        Assert.Contains("while running cell 4", Results(outDirectory, "exit")["output"]!.GetValue<string>());
        Assert.All(Results(outDirectory, "fake-prints")["tests"]!.AsArray(), t => Assert.StartsWith("failed:", t!["output"]!.GetValue<string>()));
        Assert.Contains("declares 'Check', which this test uses", TestNamed(Results(outDirectory, "redefined-check"), "Square squares")["output"]!.GetValue<string>());
        Assert.Contains("error CS0103: The name 'Square' does not exist", TestNamed(Results(outDirectory, "compile-error"), "Square squares")["output"]!.GetValue<string>());
        Assert.Contains("compile-error.ipynb: cell 4, line 1", FeedbackText(outDirectory, "compile-error"));
        Assert.Contains("Stack overflow", Results(outDirectory, "stack-overflow")["output"]!.GetValue<string>());
        Assert.Contains("over the memory limit of 512 MiB", Results(outDirectory, "native-bomb")["output"]!.GetValue<string>());
        Assert.Contains("OutOfMemoryException", FeedbackText(outDirectory, "managed-bomb"));
        Assert.Equal("after_published", TestNamed(Results(outDirectory, "good"), "Square of a negative number")["visibility"]!.GetValue<string>());
        Assert.Contains("Grader: no points, 0 of 1 point(s) for \"greeting says hello\"", FeedbackText(outDirectory, "partial"));

        // Isolation: the snoop saw only its own folder (no notebook: the merged one is deleted before student code
        // runs), none of the files the exiting submission left, and none of the grader's environment.
        var seen = FeedbackText(outDirectory, "snoop");
        var files = seen.Split("files: ")[1].Split('\n')[0];
        Assert.DoesNotContain(".ipynb", files);
        Assert.DoesNotContain("secret", files);
        var env = seen.Split("env: ")[1].Split('\n')[0].Split(';');
        Assert.Subset(new HashSet<string>(["PATH", "DOTNET_ROOT", "DOTNET_ROOT_X64", "DOTNET_ROOT_ARM64", "LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH", "LANG", "LC_ALL", "TZ",
            "HOME", "TMPDIR", "DOTNET_CLI_TELEMETRY_OPTOUT", "DOTNET_DbgEnableMiniDump", "DOTNET_GCHeapHardLimit"]), env.ToHashSet());
        Assert.DoesNotContain(root, seen.Split("cwd: ")[1]);
        Assert.Equal(before, Sha256(exercise));
        Assert.Equal([exercise], Directory.GetFiles(Path.GetDirectoryName(exercise)!));
        Assert.Empty(Directory.GetFiles(outDirectory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_infinite_loop_is_stopped_at_the_limit_keeps_what_it_earned_and_the_batch_goes_on()
    {
        var root = TestNotebooks.TempDirectory();
        var submissions = Path.Combine(root, "submissions");
        Directory.CreateDirectory(submissions);
        // Square loops for negative numbers only: the two visible tests pass, the hidden one never returns.
        Submit(TinyExercise, submissions, "1-loops", Solution("int Square(int x) { while (x < 0) { } return x * x; }\nstring greeting = \"hello\";"));
        Submit(TinyExercise, submissions, "2-good", Solution(Good));
        const double limit = 30;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (exit, output) = await GradeAsync(TinyExercise, submissions, Path.Combine(root, "out"), timeoutSeconds: limit);

        Assert.True(exit == 0, output);
        var csv = Csv(Path.Combine(root, "out"));
        Assert.Equal(("3", "6", "timed-out"), csv["1-loops"]);
        Assert.Equal(("6", "6", "ok"), csv["2-good"]);
        var loops = Results(Path.Combine(root, "out"), "1-loops");
        Assert.Empty(GradescopeProblems(loops));
        Assert.InRange(loops["execution_time"]!.GetValue<double>(), limit, limit + 5);
        Assert.Equal("did not finish: the run was stopped at the time limit, 30.0 s while running this cell",
            TestNamed(loops, "Square of a negative number")["output"]!.GetValue<string>());
        Assert.Contains("while running cell 8", loops["output"]!.GetValue<string>());
        Assert.True(clock.Elapsed.TotalSeconds < limit + 60, $"the batch took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [RootFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Submissions_run_as_another_user_cannot_read_the_graders_files()
    {
        var root = TestNotebooks.TempDirectory();
        var folder = Path.Combine(root, "exercise");
        var exercise = Path.Combine(folder, "tiny.ipynb");
        Directory.CreateDirectory(folder);
        File.Copy(TinyExercise, exercise);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(exercise, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var submissions = Path.Combine(root, "submissions");
        Directory.CreateDirectory(submissions);
        Submit(exercise, submissions, "reader", Solution(Good, After("solution", $$"""
            using System.IO;
            Console.WriteLine("user: " + Environment.UserName);
            try { File.ReadAllText("{{exercise}}"); Console.WriteLine("read the exercise"); }
            catch (Exception e) { Console.WriteLine("denied: " + e.GetType().Name); }
            """)));

        var (exit, output) = await GradeAsync(exercise, submissions, Path.Combine(root, "out"), timeoutSeconds: 120, runAs: UnixAccount.Resolve("nobody"));

        Assert.True(exit == 0, output);
        Assert.Equal(("6", "6", "ok"), Csv(Path.Combine(root, "out"))["reader"]);
        var printed = FeedbackText(Path.Combine(root, "out"), "reader");
        Assert.Contains("user: nobody", printed);
        Assert.Contains("denied: UnauthorizedAccessException", printed);
    }
}

/// <summary>A test that needs root on Linux with setpriv (to run a submission as another user); skipped elsewhere.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "running submissions as another user works on Linux only";
        else if (!Environment.IsPrivilegedProcess) Skip = "needs root, to run a submission as the user nobody";
        else if (UnixAccount.SetPriv() is null) Skip = "setpriv not found: apt-get install -y util-linux";
    }
}
