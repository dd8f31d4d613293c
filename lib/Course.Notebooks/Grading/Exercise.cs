using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Notebooks.Model;

namespace Course.Notebooks.Grading;

/// <summary>A graded cell of an exercise: worth <see cref="Points"/> when it runs without an exception.</summary>
/// <param name="Index">The cell's position in the instructor's notebook (0-based).</param>
/// <param name="Label">"cell 9": the instructor's notebook, counted from 1 over all cells.</param>
/// <param name="Visibility">Gradescope's visibility of the test's result: visible, hidden, after_due_date or after_published.</param>
public sealed record TestCell(int Index, string Id, string Label, string Name, double Points, bool Hidden, string Visibility);

/// <summary>An error in an instructor's exercise notebook (its markers, tags or points), naming notebook, cell and line.</summary>
public sealed class ExerciseException(string message) : Exception(message);

/// <summary>
/// An instructor's exercise notebook and its conventions: test cells tagged <c>tests</c> (students see them) or
/// <c>hidden-tests</c> (they do not), each with <c>"course": {"points": N}</c> in its metadata; solutions between a line
/// <c>// BEGIN SOLUTION</c> and a line <c>// END SOLUTION</c>. Code cells without a solution region are the
/// instructor's (<see cref="IsInstructorCell"/>): setup, helpers, plots and tests, restored when grading.
/// </summary>
public sealed class Exercise
{
    public const string TestsTag = "tests";
    public const string HiddenTestsTag = "hidden-tests";
    public const string BeginSolution = "// BEGIN SOLUTION";
    public const string EndSolution = "// END SOLUTION";
    public const string VisibleDefault = "visible";
    public const string HiddenDefault = "after_published";

    /// <summary>Gradescope's visibility values for a test.</summary>
    public static readonly IReadOnlyList<string> Visibilities = ["visible", "hidden", "after_due_date", "after_published"];

    private Exercise(string path, Notebook notebook, IReadOnlyList<TestCell> tests, IReadOnlySet<int> solutionCells)
    {
        Path = path;
        Notebook = notebook;
        Tests = tests;
        SolutionCells = solutionCells;
    }

    /// <summary>The instructor's notebook file, as given.</summary>
    public string Path { get; }

    /// <summary>The instructor's notebook (solutions and hidden tests included); never written back.</summary>
    public Notebook Notebook { get; }

    public IReadOnlyList<TestCell> Tests { get; }

    /// <summary>Indices of the code cells holding a solution region.</summary>
    public IReadOnlySet<int> SolutionCells { get; }

    public double MaxScore => Tests.Sum(t => t.Points);

    /// <summary>Code cells without a solution region: the student's copy of them is replaced by the instructor's.</summary>
    public bool IsInstructorCell(int index) => Notebook.Cells[index].Type == CellType.Code && !SolutionCells.Contains(index);

    public static Exercise Read(string path) => From(NotebookFile.Read(path), path);

    /// <summary>Checks the conventions; throws <see cref="ExerciseException"/> naming the cell that breaks one.</summary>
    public static Exercise From(Notebook notebook, string path)
    {
        var tests = new List<TestCell>();
        var solutions = new HashSet<int>();
        for (int i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            var label = $"cell {i + 1}";
            string Where(string what) => $"{path}: {label}: {what}";
            bool visible = cell.HasTag(TestsTag), hidden = cell.HasTag(HiddenTestsTag);
            var points = Points(cell, Where);
            if (cell.Type != CellType.Code)
            {
                if (visible || hidden || points is not null)
                    throw new ExerciseException(Where("only code cells can be tests or carry course.points"));
                continue;
            }
            var regions = SolutionRegions.Find(cell.Source, what => Where(what));
            if (regions.Count > 0) solutions.Add(i);
            if (!visible && !hidden)
            {
                if (points is not null)
                    throw new ExerciseException(Where($"has course.points but is not tagged '{TestsTag}' or '{HiddenTestsTag}'"));
                continue;
            }
            if (visible && hidden) throw new ExerciseException(Where($"is tagged both '{TestsTag}' and '{HiddenTestsTag}'"));
            if (regions.Count > 0) throw new ExerciseException(Where($"a test cell holds a solution region ({BeginSolution})"));
            if (points is null) throw new ExerciseException(Where("a test cell needs its points in metadata: \"course\": {\"points\": N}"));
            tests.Add(new TestCell(i, cell.Id, label, NameOf(cell, label), points.Value, hidden, VisibilityOf(cell, hidden, Where)));
        }
        return new Exercise(path, notebook, tests, solutions);
    }

    private static double? Points(Cell cell, Func<string, string> where)
    {
        if (cell.Metadata["course"] is not JsonObject course || course["points"] is not { } node) return null;
        // Read as JSON text: a value made in code (an int) and one read from a file (a JsonElement) alike.
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) is var points && double.IsFinite(points) && points >= 0)
            return points;
        throw new ExerciseException(where($"course.points is {node.ToJsonString()}: expected a number of points, 0 or more"));
    }

    // course.name, else the cell's first line when it is a // comment (less a closing "[2 points]"), else its label.
    private static string NameOf(Cell cell, string label)
    {
        if (cell.Metadata["course"]?["name"] is JsonValue name && name.GetValueKind() == JsonValueKind.String
            && name.GetValue<string>().Trim() is { Length: > 0 } text)
            return text;
        var first = cell.Source.TrimStart().Split('\n', 2)[0].Trim();
        if (!first.StartsWith("//", StringComparison.Ordinal)) return label;
        var comment = first.TrimStart('/').Trim();
        if (comment.EndsWith(']') && comment.LastIndexOf('[') is > 0 and var open) comment = comment[..open].TrimEnd();
        return comment.Length > 0 ? comment : label;
    }

    private static string VisibilityOf(Cell cell, bool hidden, Func<string, string> where)
    {
        if (cell.Metadata["course"]?["visibility"] is not { } node) return hidden ? HiddenDefault : VisibleDefault;
        var value = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
        return Visibilities.Contains(value)
            ? value
            : throw new ExerciseException(where($"course.visibility '{value}' is not one of {string.Join(", ", Visibilities)}"));
    }

    internal static string FormatPoints(double points) => points.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>Finds and replaces the lines between <c>// BEGIN SOLUTION</c> and <c>// END SOLUTION</c> in a code cell.</summary>
public static class SolutionRegions
{
    /// <summary>The released text of a solution region, at the BEGIN line's indentation.</summary>
    public static readonly string[] Placeholder =
    [
        "// Your solution here: replace the line below.",
        "throw new NotImplementedException();",
    ];

    /// <summary>(first, last) 0-based line numbers of each region, markers included.</summary>
    /// <param name="where">Turns a problem into a message naming the notebook and cell.</param>
    public static IReadOnlyList<(int Begin, int End)> Find(string source, Func<string, string> where)
    {
        var regions = new List<(int, int)>();
        var lines = source.Split('\n');
        int? begin = null;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith(Exercise.BeginSolution, StringComparison.Ordinal))
            {
                if (begin is { } open)
                    throw new ExerciseException(where($"line {i + 1}: {Exercise.BeginSolution} inside the region opened on line {open + 1}"));
                begin = i;
            }
            else if (line.StartsWith(Exercise.EndSolution, StringComparison.Ordinal))
            {
                if (begin is not { } open)
                    throw new ExerciseException(where($"line {i + 1}: {Exercise.EndSolution} without {Exercise.BeginSolution}"));
                regions.Add((open, i));
                begin = null;
            }
        }
        if (begin is { } unclosed)
            throw new ExerciseException(where($"line {unclosed + 1}: {Exercise.BeginSolution} without {Exercise.EndSolution}"));
        return regions;
    }

    /// <summary>The source with each region replaced by <see cref="Placeholder"/>.</summary>
    public static string Release(string source, Func<string, string> where)
    {
        var regions = Find(source, where);
        if (regions.Count == 0) return source;
        var lines = source.Split('\n');
        var released = new List<string>();
        int next = 0;
        foreach (var (begin, end) in regions)
        {
            released.AddRange(lines[next..begin]);
            var indent = lines[begin][..(lines[begin].Length - lines[begin].TrimStart().Length)];
            released.AddRange(Placeholder.Select(p => indent + p));
            next = end + 1;
        }
        released.AddRange(lines[next..]);
        return string.Join('\n', released);
    }
}
