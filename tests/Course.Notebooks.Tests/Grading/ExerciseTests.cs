using System.Text.Json.Nodes;
using Course.Notebooks.Grading;
using Course.Notebooks.Model;

namespace Course.Notebooks.Tests.Grading;

public class ExerciseTests
{
    internal static Cell Test(string source, double points, bool hidden = false, string? id = null)
    {
        var cell = Cell.Code(source, hidden ? Exercise.HiddenTestsTag : Exercise.TestsTag);
        if (id is not null) cell.Id = id;
        cell.Metadata["course"] = new JsonObject { ["points"] = points };
        return cell;
    }

    private static Exercise From(params Cell[] cells) => Exercise.From(Notebook.CreateCSharp(cells), "ex.ipynb");

    [Fact]
    public void Tiny_exercise_has_its_tests_points_names_and_visibility()
    {
        var exercise = Exercise.Read(RepoPaths.TestAsset("grading/tiny.ipynb"));
        Assert.Equal(6, exercise.MaxScore);
        Assert.Equal(["Square squares", "greeting says hello", "Square of a negative number"], exercise.Tests.Select(t => t.Name));
        Assert.Equal([2.0, 1, 3], exercise.Tests.Select(t => t.Points));
        Assert.Equal(["visible", "visible", "after_published"], exercise.Tests.Select(t => t.Visibility));
        Assert.Equal([false, false, true], exercise.Tests.Select(t => t.Hidden));
        Assert.Equal(["cell 6", "cell 7", "cell 8"], exercise.Tests.Select(t => t.Label));
        Assert.Equal([3], exercise.SolutionCells);
        // Setup, parameters and tests are the instructor's; markdown and the solution cell are the student's.
        Assert.Equal([false, true, true, false, false, true, true, true], Enumerable.Range(0, 8).Select(exercise.IsInstructorCell));
    }

    [Theory]
    [InlineData("// BEGIN SOLUTION\nx = 1;", "ex.ipynb: cell 1: line 1: // BEGIN SOLUTION without // END SOLUTION")]
    [InlineData("x = 1;\n// END SOLUTION", "ex.ipynb: cell 1: line 2: // END SOLUTION without // BEGIN SOLUTION")]
    [InlineData("// BEGIN SOLUTION\n  // BEGIN SOLUTION\n// END SOLUTION", "ex.ipynb: cell 1: line 2: // BEGIN SOLUTION inside the region opened on line 1")]
    public void Unbalanced_solution_markers_name_cell_and_line(string source, string message) =>
        Assert.Equal(message, Assert.Throws<ExerciseException>(() => From(Cell.Code(source))).Message);

    [Fact]
    public void Test_cells_need_points_and_points_need_a_test_tag()
    {
        var noPoints = Cell.Code("Check(true);", Exercise.TestsTag);
        Assert.Contains("cell 2: a test cell needs its points", Assert.Throws<ExerciseException>(() => From(Cell.Code("1"), noPoints)).Message);
        var untagged = Cell.Code("1");
        untagged.Metadata["course"] = new JsonObject { ["points"] = 1 };
        Assert.Contains("cell 1: has course.points but is not tagged", Assert.Throws<ExerciseException>(() => From(untagged)).Message);
        var badPoints = Test("1", 0);
        badPoints.Metadata["course"]!["points"] = "two";
        Assert.Contains("cell 1: course.points is \"two\": expected a number", Assert.Throws<ExerciseException>(() => From(badPoints)).Message);
        Assert.Contains("holds a solution region", Assert.Throws<ExerciseException>(() => From(Test("// BEGIN SOLUTION\n// END SOLUTION", 1))).Message);
    }

    [Fact]
    public void Test_names_come_from_metadata_or_the_first_comment_line_less_its_points()
    {
        var named = Test("// ignored\nCheck();", 1);
        named.Metadata["course"]!["name"] = "From metadata";
        var exercise = From(named, Test("  // Shapes agree [2 points]\nCheck();", 2), Test("Check();", 1, hidden: true));
        Assert.Equal(["From metadata", "Shapes agree", "cell 3"], exercise.Tests.Select(t => t.Name));
    }

    [Fact]
    public void Student_version_replaces_solutions_drops_hidden_tests_and_keeps_ids_and_points()
    {
        var exercise = Exercise.Read(RepoPaths.TestAsset("grading/tiny.ipynb"));
        exercise.Notebook.Cells[5].Outputs.Add(new StreamOutput("stdout", "old output"));
        exercise.Notebook.Cells[5].ExecutionCount = 3;

        var released = StudentVersion.Create(exercise);

        Assert.Equal(exercise.Notebook.Cells.Where(c => !c.HasTag(Exercise.HiddenTestsTag)).Select(c => c.Id), released.Cells.Select(c => c.Id));
        Assert.Equal("""
            int Square(int x)
            {
                // Your solution here: replace the line below.
                throw new NotImplementedException();
            }
            string greeting = "";
            // Your solution here: replace the line below.
            throw new NotImplementedException();
            """.ReplaceLineEndings("\n"), released.Cells[3].Source);
        Assert.All(released.Cells, c => Assert.Empty(c.Outputs));
        Assert.Null(released.Cells[5].ExecutionCount);
        Assert.Equal(2, released.Cells[5].Metadata["course"]!["points"]!.GetValue<double>());
        Assert.DoesNotContain(released.Cells, c => c.Source.Contains("Square(-n)", StringComparison.Ordinal));
        // The instructor's notebook is untouched.
        Assert.Equal("old output", ((StreamOutput)exercise.Notebook.Cells[5].Outputs[0]).Text);
        Assert.Contains("return x * x;", exercise.Notebook.Cells[3].Source, StringComparison.Ordinal);
    }
}
