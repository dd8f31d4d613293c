using Course.Notebooks.Model;

namespace Course.Notebooks.Grading;

/// <summary>
/// The notebook students get: each solution region replaced by <c>throw new NotImplementedException();</c> and a short
/// comment, hidden-test cells removed, outputs and timings cleared; cell ids, tags and points kept, so a submission's
/// cells can be matched with the instructor's.
/// </summary>
public static class StudentVersion
{
    public static Notebook Create(Exercise exercise)
    {
        var released = Copy(exercise.Notebook);
        released.Cells.Clear();
        var source = Copy(exercise.Notebook);
        for (int i = 0; i < source.Cells.Count; i++)
        {
            var cell = source.Cells[i];
            if (cell.Type == CellType.Code && cell.HasTag(Exercise.HiddenTestsTag)) continue;
            if (exercise.SolutionCells.Contains(i))
                cell.Source = SolutionRegions.Release(cell.Source, what => $"{exercise.Path}: cell {i + 1}: {what}");
            Clear(cell);
            released.Cells.Add(cell);
        }
        return released;
    }

    /// <summary>A deep copy, through the file format: nothing shared with the original.</summary>
    public static Notebook Copy(Notebook notebook) => NotebookFile.Parse(NotebookFile.Serialize(notebook), "(copy)");

    /// <summary>Outputs, execution count and the runner's timing metadata removed.</summary>
    internal static void Clear(Cell cell)
    {
        cell.Outputs.Clear();
        cell.ExecutionCount = null;
        cell.Metadata.Remove("execution");
        if (cell.Metadata["course"] is System.Text.Json.Nodes.JsonObject course)
        {
            course.Remove("wall_seconds");
            course.Remove("compile_seconds");
            if (course.Count == 0) cell.Metadata.Remove("course");
        }
    }
}
