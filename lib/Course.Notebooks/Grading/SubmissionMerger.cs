using System.Text.Json.Nodes;
using Course.Notebooks.Execution;
using Course.Notebooks.Model;

namespace Course.Notebooks.Grading;

/// <summary>The notebook that is run to grade a submission.</summary>
/// <param name="TestCells">Instructor test cell index -> its index in <see cref="Notebook"/>.</param>
/// <param name="StudentCells">Indices in <see cref="Notebook"/> of the cells that came from the submission.</param>
/// <param name="Notes">What the merge did that the student should know (dropped cells, cells placed by position).</param>
public sealed record MergedNotebook(Notebook Notebook, IReadOnlyDictionary<int, int> TestCells, IReadOnlySet<int> StudentCells, IReadOnlyList<string> Notes);

/// <summary>
/// Builds the notebook to grade: the student's cells (solution cells, markdown, cells they added) in their order,
/// with every instructor cell (code without a solution region: setup, helpers, parameters, visible and hidden tests)
/// put back right after the cell it follows in the instructor's notebook. A student who edited, deleted or
/// duplicated a test or its helpers gains nothing: the instructor's version runs, once, in its place.
/// </summary>
public static class SubmissionMerger
{
    private static readonly string[] InstructorTags = [Exercise.TestsTag, Exercise.HiddenTestsTag, NotebookParameters.ParametersTag, NotebookParameters.InjectedTag];

    public static MergedNotebook Merge(Exercise exercise, Notebook submission)
    {
        var instructor = exercise.Notebook;
        var notes = new List<string>();
        var instructorIds = new HashSet<string>(StringComparer.Ordinal);
        var instructorSources = new HashSet<string>(StringComparer.Ordinal);
        var openIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < instructor.Cells.Count; i++)
        {
            if (exercise.IsInstructorCell(i))
            {
                instructorIds.Add(instructor.Cells[i].Id);
                if (Cell.NormalizeSource(instructor.Cells[i].Source) is { Length: > 0 } source) instructorSources.Add(source);
            }
            else openIds.TryAdd(instructor.Cells[i].Id, i);
        }

        // The student's own cells: anything that is, or claims to be, an instructor cell is dropped; so is an unedited
        // copy of one under another id (a tool that renumbered cells), which would otherwise run twice.
        var kept = new List<Cell>();
        for (int s = 0; s < submission.Cells.Count; s++)
        {
            var cell = submission.Cells[s];
            if (instructorIds.Contains(cell.Id) || (cell.Type == CellType.Code && instructorSources.Contains(Cell.NormalizeSource(cell.Source)))) continue;
            if (cell.Type == CellType.Code && InstructorTags.FirstOrDefault(cell.HasTag) is { } tag)
            {
                notes.Add($"cell {s + 1} of the submission was left out: it is tagged '{tag}' but is not one of the exercise's cells");
                continue;
            }
            kept.Add(cell);
        }

        // Anchor each instructor cell after the nearest open cell before it that the submission kept, matched by id;
        // a notebook that shares no id with the exercise (saved by a tool that renumbers) is matched by position.
        var keptIndexById = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < kept.Count; k++) keptIndexById.TryAdd(kept[k].Id, k);
        bool byId = kept.Any(c => openIds.ContainsKey(c.Id)) || openIds.Count == 0;
        if (!byId && kept.Count > 0)
            notes.Add("the submission's cell ids match none of the exercise's, so the exercise's cells were placed by position");
        var openOrdinal = new Dictionary<int, int>();
        foreach (var i in openIds.Values.Order()) openOrdinal[i] = openOrdinal.Count;

        var after = new Dictionary<int, List<int>>(); // kept index (-1: before all) -> instructor cells
        for (int i = 0; i < instructor.Cells.Count; i++)
        {
            if (!exercise.IsInstructorCell(i)) continue;
            int anchor = -1;
            for (int j = i - 1; j >= 0 && anchor < 0; j--)
            {
                if (exercise.IsInstructorCell(j)) continue;
                if (byId) anchor = keptIndexById.GetValueOrDefault(instructor.Cells[j].Id, -1);
                else if (openOrdinal.TryGetValue(j, out var ordinal)) anchor = Math.Min(ordinal, kept.Count - 1);
            }
            if (!after.TryGetValue(anchor, out var list)) after[anchor] = list = [];
            list.Add(i);
        }

        var merged = new Notebook { FormatMajor = 4, FormatMinor = 5, Metadata = (JsonObject)instructor.Metadata.DeepClone() };
        var tests = new Dictionary<int, int>();
        var studentCells = new HashSet<int>();
        var testIndices = exercise.Tests.Select(t => t.Index).ToHashSet();
        var usedIds = new HashSet<string>(StringComparer.Ordinal);
        void AddInstructorCells(int anchor)
        {
            foreach (var i in after.GetValueOrDefault(anchor) ?? [])
            {
                if (testIndices.Contains(i)) tests[i] = merged.Cells.Count;
                merged.Cells.Add(Fresh(instructor.Cells[i], usedIds));
            }
        }
        AddInstructorCells(-1);
        for (int k = 0; k < kept.Count; k++)
        {
            studentCells.Add(merged.Cells.Count);
            var cell = Fresh(kept[k], usedIds);
            cell.Metadata.Remove("course"); // points count only on the instructor's cells
            merged.Cells.Add(cell);
            AddInstructorCells(k);
        }
        return new MergedNotebook(merged, tests, studentCells, notes);
    }

    // A copy with outputs cleared and an id no earlier merged cell has (a duplicate gets "-2", "-3", ...: deterministic).
    private static Cell Fresh(Cell cell, HashSet<string> usedIds)
    {
        var id = cell.Id;
        for (int n = 2; !usedIds.Add(id); n++) id = $"{cell.Id[..Math.Min(cell.Id.Length, 56)]}-{n}";
        var copy = new Cell(cell.Type, cell.Source, id)
        {
            Metadata = (JsonObject)cell.Metadata.DeepClone(),
            Attachments = (JsonObject?)cell.Attachments?.DeepClone(),
        };
        StudentVersion.Clear(copy);
        return copy;
    }
}
