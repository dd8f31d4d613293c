using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Notebooks.Cli;
using Course.Notebooks.Grading;
using Course.Notebooks.Model;

namespace Course.Notebooks.Tests.Grading;

/// <summary>Submissions built from an exercise's student version, a grading run through the CLI, and its results read back.</summary>
internal static class GradingSupport
{
    public static string TinyExercise => RepoPaths.TestAsset("grading/tiny.ipynb");

    /// <summary>The student version of <paramref name="exercise"/> with <paramref name="edit"/> applied, saved as <paramref name="folder"/>/<paramref name="name"/>.ipynb.</summary>
    public static void Submit(string exercise, string folder, string name, Action<Notebook> edit)
    {
        var notebook = StudentVersion.Create(Exercise.Read(exercise));
        edit(notebook);
        NotebookFile.Write(notebook, Path.Combine(folder, name + ".ipynb"));
    }

    public static Cell Cell(Notebook notebook, string id) => notebook.Cells.Single(c => c.Id == id);

    /// <summary>Sets the solution cell (id "solution" in the tiny exercise).</summary>
    public static Action<Notebook> Solution(string source, Action<Notebook>? more = null) => notebook =>
    {
        Cell(notebook, "solution").Source = source;
        more?.Invoke(notebook);
    };

    /// <summary>Adds a cell of the student's right after the solution cell.</summary>
    public static Action<Notebook> After(string id, string source) => notebook =>
        notebook.Cells.Insert(notebook.Cells.FindIndex(c => c.Id == id) + 1, Model.Cell.Code(source));

    public const string Good = "int Square(int x) => x * x;\nstring greeting = \"hello\";";

    /// <summary>Runs `grade` and returns its exit code and standard output.</summary>
    public static async Task<(int Exit, string Output)> GradeAsync(string exercise, string submissions, string outDirectory, double timeoutSeconds, int memoryMib = 1024, UnixAccount? runAs = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var options = new GradeOptions(TimeSpan.FromSeconds(timeoutSeconds), (long)memoryMib << 20, RunAs: runAs);
        int exit = await GradeCommand.GradeAsync(new GradeCommand.GradeRequest(exercise, [submissions], outDirectory, options, Gradescope: false), stdout, stderr);
        return (exit, stdout + stderr.ToString());
    }

    public static JsonObject Results(string outDirectory, string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(outDirectory, name, GradeReport.ResultsFileName)))!.AsObject();

    public static double Score(JsonObject results) => results["score"]!.GetValue<double>();

    public static JsonObject TestNamed(JsonObject results, string name) =>
        results["tests"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == name)!.AsObject();

    public static string Text(JsonObject results) => results.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>grades.csv as name -> (score, max, status).</summary>
    public static Dictionary<string, (string Score, string Max, string Status)> Csv(string outDirectory)
    {
        var lines = File.ReadAllLines(Path.Combine(outDirectory, GradeReport.GradesFileName));
        Assert.Equal("name,score,max_score,status,seconds", lines[0]);
        return lines.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => (f[1], f[2], f[3]));
    }

    /// <summary>The outputs' text of the graded notebook's cells, joined: what the student's code printed there.</summary>
    public static string FeedbackText(string outDirectory, string name) =>
        string.Concat(NotebookFile.Read(Path.Combine(outDirectory, name, name + ".ipynb")).Cells.SelectMany(c => c.Outputs).Select(TestNotebooks.Text));

    public static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static readonly string[] TopLevel = ["score", "execution_time", "output", "output_format", "test_output_format", "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"];
    private static readonly string[] TestKeys = ["score", "max_score", "status", "name", "name_format", "number", "output", "output_format", "tags", "visibility", "extra_data"];

    /// <summary>Checks results.json against Gradescope's specification of its fields; returns what is wrong.</summary>
    public static IReadOnlyList<string> GradescopeProblems(JsonObject results)
    {
        var problems = new List<string>();
        foreach (var (key, _) in results) if (!TopLevel.Contains(key)) problems.Add($"unknown top-level key {key}");
        bool IsNumber(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.Number;
        bool IsString(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String;
        if (!IsNumber(results["score"])) problems.Add("score is not a number");
        if (!IsNumber(results["execution_time"])) problems.Add("execution_time is not a number");
        if (!IsString(results["output"])) problems.Add("output is not a string");
        if (results["tests"] is not JsonArray tests) return [.. problems, "tests is not an array"];
        double sum = 0;
        foreach (var node in tests)
        {
            if (node is not JsonObject test) { problems.Add("a test is not an object"); continue; }
            foreach (var (key, _) in test) if (!TestKeys.Contains(key)) problems.Add($"unknown test key {key}");
            if (!IsString(test["name"]) || test["name"]!.GetValue<string>().Length == 0) problems.Add("a test has no name");
            if (!IsNumber(test["score"]) || !IsNumber(test["max_score"])) { problems.Add("a test's score or max_score is not a number"); continue; }
            double score = test["score"]!.GetValue<double>(), max = test["max_score"]!.GetValue<double>();
            if (score < 0 || score > max) problems.Add($"test score {score} is outside 0..{max}");
            sum += score;
            if (!IsString(test["output"])) problems.Add("a test's output is not a string");
            if (!Exercise.Visibilities.Contains(test["visibility"]?.GetValue<string>())) problems.Add($"visibility {test["visibility"]} is not a Gradescope value");
            if (test["status"]?.GetValue<string>() is not ("passed" or "failed")) problems.Add("status is not passed or failed");
        }
        if (IsNumber(results["score"]) && Math.Abs(results["score"]!.GetValue<double>() - sum) > 1e-9) problems.Add($"score {results["score"]} is not the sum of the tests' scores {sum}");
        return problems;
    }
}
