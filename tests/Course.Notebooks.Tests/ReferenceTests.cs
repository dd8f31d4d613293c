using Course.Notebooks.Execution;
using Course.Notebooks.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Course.Notebooks.Tests;

public class ReferenceTests
{
    private static readonly MetadataReference[] Framework =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll")
            .DistinctBy(Path.GetFileName)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();

    private static string Compile(string directory, string name, string source, params string[] references)
    {
        var path = Path.Combine(directory, name + ".dll");
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(source)],
            Framework.Concat(references.Select(r => MetadataReference.CreateFromFile(r))),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var emitted = compilation.Emit(path);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return path;
    }

    [Fact]
    public void Relative_r_loads_a_library_and_its_sibling_dependency()
    {
        // Like artifacts/lib: Lab depends on Dep, the notebook only references Lab, from a sibling folder.
        var root = TestNotebooks.TempDirectory();
        var lib = Directory.CreateDirectory(Path.Combine(root, "artifacts", "lib")).FullName;
        var dep = Compile(lib, "RefTestDep", "namespace Dep; public sealed class Vector { public double Norm => 5; }");
        Compile(lib, "RefTestLab", "namespace Lab; public static class Api { public static Dep.Vector Make() => new(); public static string Hello() => \"hi from lab\"; }", dep);
        var notebooks = Directory.CreateDirectory(Path.Combine(root, "notebooks")).FullName;

        var notebook = Notebook.CreateCSharp(
            Cell.Code("#r \"../artifacts/lib/RefTestLab.dll\"\nusing Lab;"),
            Cell.Code("Console.WriteLine(Api.Hello());\nApi.Make().Norm"));
        var (result, _) = TestNotebooks.Run(notebook, new RunOptions(), notebooks);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("hi from lab\n", TestNotebooks.Text(notebook.Cells[1].Outputs[0]));
        Assert.Equal("5", TestNotebooks.Text(notebook.Cells[1].Outputs[1]));
    }

    [Fact]
    public void Relative_load_runs_a_script_from_the_notebook_folder()
    {
        var dir = TestNotebooks.TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir, "shared"));
        File.WriteAllText(Path.Combine(dir, "shared", "helpers.csx"), "int Square(int x) => x * x;\n");
        var notebook = Notebook.CreateCSharp(Cell.Code("#load \"shared/helpers.csx\""), Cell.Code("Square(12)"));
        var (result, _) = TestNotebooks.Run(notebook, new RunOptions(), dir);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("144", TestNotebooks.Text(notebook.Cells[1].Outputs[0]));
    }

    [Fact]
    public void Missing_reference_is_a_compile_error_in_the_cell()
    {
        var (result, _) = TestNotebooks.Run("var a = 1;", "// needs a library\n#r \"../nowhere/Missing.dll\"\nvar b = 2;");
        Assert.False(result.Succeeded);
        Assert.True(result.Error!.Contains("test.ipynb: cell 2, line 2, col 1: error CS0006:"), result.Error);
        Assert.Contains("Missing.dll", result.Error);
    }
}
