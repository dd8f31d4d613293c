using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Notebooks.Model;
using Course.Shared;

namespace Course.Notebooks.Grading;

/// <summary>
/// What grading writes: Gradescope's results.json per submission (score, execution_time, output, tests with name,
/// score, max_score, status, output, visibility), the graded notebook, and grades.csv for a class.
/// </summary>
public static class GradeReport
{
    public const string ResultsFileName = "results.json";
    public const string GradesFileName = "grades.csv";

    /// <summary>Gradescope's results.json for one submission.</summary>
    public static JsonObject Results(SubmissionGrade grade) => new()
    {
        ["score"] = Math.Round(grade.Score, 6),
        ["execution_time"] = (int)Math.Ceiling(grade.Elapsed.TotalSeconds),
        ["output"] = grade.Message,
        ["tests"] = new JsonArray(grade.Tests.Select(t => (JsonNode?)new JsonObject
        {
            ["name"] = t.Test.Name,
            ["score"] = Math.Round(t.Score, 6),
            ["max_score"] = Math.Round(t.Test.Points, 6),
            ["status"] = t.Passed ? "passed" : "failed",
            ["output"] = t.Output,
            ["visibility"] = t.Test.Visibility,
        }).ToArray()),
        ["extra_data"] = new JsonObject
        {
            ["status"] = StatusName(grade.Status),
            ["peak_memory_mib"] = grade.PeakMemoryBytes >> 20,
        },
    };

    /// <summary>Writes results.json (and the graded notebook, when something ran) into <paramref name="directory"/>.</summary>
    public static void WriteSubmission(SubmissionGrade grade, string directory, string notebookFileName)
    {
        AtomicFile.WriteAllText(Path.Combine(directory, ResultsFileName),
            Results(grade).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        if (grade.Feedback is { } feedback) NotebookFile.Write(feedback, Path.Combine(directory, notebookFileName));
    }

    /// <summary>grades.csv: name, score, max_score, status, seconds; one row per submission, in the order given.</summary>
    public static string Csv(IEnumerable<SubmissionGrade> grades)
    {
        var csv = new StringBuilder("name,score,max_score,status,seconds\n");
        foreach (var g in grades)
            csv.Append(CultureInfo.InvariantCulture, $"{Field(g.Name)},{Exercise.FormatPoints(g.Score)},{Exercise.FormatPoints(g.MaxScore)},{StatusName(g.Status)},{Grader.Seconds(g.Elapsed)}\n");
        return csv.ToString();
    }

    public static void WriteCsv(IEnumerable<SubmissionGrade> grades, string directory) =>
        AtomicFile.WriteAllText(Path.Combine(directory, GradesFileName), Csv(grades));

    public static string StatusName(GradeStatus status) => status switch
    {
        GradeStatus.Ok => "ok",
        GradeStatus.TimedOut => "timed-out",
        GradeStatus.OutOfMemory => "out-of-memory",
        GradeStatus.Ended => "process-ended",
        GradeStatus.Unreadable => "unreadable",
        GradeStatus.Tampered => "tampered",
        _ => "grader-error",
    };

    // RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes.
    private static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
