using Course.Notebooks.Kernel;
using Course.Notebooks.Model;

namespace Course.Notebooks.Tests;

/// <summary>Every course notebook, executed in test mode: an executed notebook is a test.</summary>
public class CourseNotebookTests
{
    [Fact]
    public void Notebooks_folder_exists() => Assert.True(Directory.Exists(RepoPaths.Notebooks), $"{RepoPaths.Notebooks} is missing");

    // Filter out with --filter "Category!=CourseNotebooks" for a quick unit-test run.
    [Theory]
    [Trait("Category", "CourseNotebooks")]
    [CourseNotebooks]
    public async Task Notebook_runs_in_test_mode(string notebook)
    {
        var (result, _) = await CourseNotebooks.RunInTestModeAsync(notebook);
        Assert.True(result.Succeeded, result.Error);
    }

    // VS Code and JupyterLab select the kernel from this metadata without asking; vscode.languageId would override
    // the cell language.
    [Theory]
    [CourseNotebooks]
    public void Notebook_names_the_course_kernel_and_no_vscode_language(string notebook)
    {
        var parsed = NotebookFile.Read(Path.Combine(RepoPaths.Notebooks, notebook));
        var spec = parsed.Metadata["kernelspec"];
        Assert.True(spec is not null, $"{notebook}: no metadata.kernelspec");
        Assert.Equal((KernelSpec.Name, KernelSpec.DisplayName, "csharp"),
            (spec["name"]?.GetValue<string>(), spec["display_name"]?.GetValue<string>(), spec["language"]?.GetValue<string>()));
        var withLanguageId = parsed.Cells.Select((c, i) => (c, i)).Where(x => x.c.Metadata["vscode"]?["languageId"] is not null).Select(x => x.i + 1).ToList();
        Assert.True(withLanguageId.Count == 0, $"{notebook}: vscode.languageId in cell(s) {string.Join(", ", withLanguageId)}");
    }
}
