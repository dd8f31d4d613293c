using Course.Notebooks.Grading;
using Course.Notebooks.Model;

namespace Course.Notebooks.Tests.Grading;

public class MergeTests
{
    private static readonly Exercise Tiny = Exercise.Read(RepoPaths.TestAsset("grading/tiny.ipynb"));

    private static Notebook Released() => StudentVersion.Create(Tiny);

    private static Cell ById(Notebook notebook, string id) => notebook.Cells.Single(c => c.Id == id);

    [Fact]
    public void Released_notebook_gets_the_hidden_test_back_in_its_place()
    {
        var merged = SubmissionMerger.Merge(Tiny, Released());
        Assert.Equal(Tiny.Notebook.Cells.Select(c => c.Id), merged.Notebook.Cells.Select(c => c.Id));
        Assert.Equal(new Dictionary<int, int> { [5] = 5, [6] = 6, [7] = 7 }, merged.TestCells);
        Assert.Equal([0, 3, 4], merged.StudentCells.Order());
        Assert.Contains("throw new NotImplementedException();", merged.Notebook.Cells[3].Source, StringComparison.Ordinal);
        Assert.Empty(merged.Notes);
    }

    [Fact]
    public void Edited_tests_setup_and_parameters_are_the_instructors_and_student_cells_stay_in_order()
    {
        var submission = Released();
        ById(submission, "solution").Source = "int Square(int x) => x * x;\nstring greeting = \"hello\";";
        ById(submission, "test-square").Source = "Console.WriteLine(\"all tests passed\");";
        ById(submission, "setup").Source = "void Check(bool ok, string claim) { }";
        ById(submission, "params").Source = "int n = 0;";
        var scratch = Cell.Code("var mine = Square(4);");
        submission.Cells.Insert(4, scratch);

        var merged = SubmissionMerger.Merge(Tiny, submission).Notebook;

        Assert.Equal(["intro", "setup", "params", "solution", scratch.Id, "tests-intro", "test-square", "test-greeting", "hidden-negative"],
            merged.Cells.Select(c => c.Id));
        for (int i = 0; i < Tiny.Notebook.Cells.Count; i++)
            if (Tiny.IsInstructorCell(i)) Assert.Equal(Tiny.Notebook.Cells[i].Source, ById(merged, Tiny.Notebook.Cells[i].Id).Source);
        Assert.Equal("int Square(int x) => x * x;\nstring greeting = \"hello\";", ById(merged, "solution").Source);
    }

    [Fact]
    public void Deleted_tests_come_back_and_moved_anchors_carry_them()
    {
        var submission = Released();
        submission.Cells.RemoveAll(c => c.Id is "test-square" or "test-greeting" or "tests-intro");
        var merged = SubmissionMerger.Merge(Tiny, submission);
        // With "## Tests" deleted, the tests follow the solution cell, the nearest earlier cell the submission kept.
        Assert.Equal(["intro", "setup", "params", "solution", "test-square", "test-greeting", "hidden-negative"], merged.Notebook.Cells.Select(c => c.Id));
        Assert.Equal([4, 5, 6], Tiny.Tests.Select(t => merged.TestCells[t.Index]));
    }

    [Fact]
    public void Cells_claiming_to_be_tests_are_dropped_with_a_note_and_duplicate_ids_are_renamed()
    {
        var submission = Released();
        var fake = Cell.Code("Console.WriteLine(\"passed\");", Exercise.TestsTag);
        submission.Cells.Add(fake);
        var copy = new Cell(CellType.Code, "var again = 1;", "solution");
        submission.Cells.Insert(4, copy);

        var merged = SubmissionMerger.Merge(Tiny, submission);

        Assert.DoesNotContain(merged.Notebook.Cells, c => c.Id == fake.Id);
        Assert.Equal($"cell {submission.Cells.Count} of the submission was left out: it is tagged 'tests' but is not one of the exercise's cells", Assert.Single(merged.Notes));
        Assert.Equal(merged.Notebook.Cells.Count, merged.Notebook.Cells.Select(c => c.Id).Distinct().Count());
        Assert.Contains(merged.Notebook.Cells, c => c.Id == "solution-2" && c.Source == "var again = 1;");
    }

    [Fact]
    public void A_notebook_sharing_no_ids_is_matched_by_position()
    {
        var submission = Released();
        foreach (var cell in submission.Cells) cell.Id = "x" + cell.Id;
        var merged = SubmissionMerger.Merge(Tiny, submission);
        Assert.Equal(Tiny.Notebook.Cells.Select(c => c.Source.Split('\n')[0]).Where((_, i) => Tiny.IsInstructorCell(i)),
            merged.Notebook.Cells.Where((_, i) => !merged.StudentCells.Contains(i)).Select(c => c.Source.Split('\n')[0]));
        // Setup and parameters after the title, the tests after "## Tests": the instructor's order.
        Assert.Equal(["xintro", "setup", "params", "xsolution", "xtests-intro", "test-square", "test-greeting", "hidden-negative"],
            merged.Notebook.Cells.Select(c => c.Id));
        Assert.Contains("placed by position", Assert.Single(merged.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void Name_guard_blocks_tests_that_use_a_redefined_helper_but_not_the_names_students_must_declare()
    {
        var submission = Released();
        ById(submission, "solution").Source = "int Square(int x) => x * x;\nstring greeting = \"bye\";\nvoid Check(bool ok, string claim) { }";
        var merged = SubmissionMerger.Merge(Tiny, submission);

        var blocked = NameGuard.Check(Tiny, merged);

        Assert.Equal([5, 6, 7], blocked.Keys.Order());
        Assert.Equal("not scored: cell 4 declares 'Check', which this test uses; a submission must not redefine the names the tests rely on", blocked[5]);

        ById(submission, "solution").Source = "int Square(int x) => x * x;\nstring greeting = \"hello\";\nint Helper(int y) => y;";
        Assert.Empty(NameGuard.Check(Tiny, SubmissionMerger.Merge(Tiny, submission)));
    }

    [Fact]
    public void Name_guard_sees_shadowed_library_names_variables_and_aliases()
    {
        Assert.Equal(["X", "a", "b", "c", "hidden", "Math", "Check", "Other", "M"],
            NameGuard.TopLevelDeclarations("using X = System.String;\nvar a = 1; int b = 2, c = 3;\n_ = a is int hidden;\nclass Math { }\n"
                + "void Check() { int local = 1; }\nenum Other { }\n{ var inBlock = 1; }\nint M => 1;"));
        Assert.Equal(["Check", "Math", "answers"],
            NameGuard.UsedNames("var s = Math.Sqrt(2);\nforeach (var t in answers) Check(t.Ok, $\"{s}\");").Order(StringComparer.Ordinal));
    }
}
