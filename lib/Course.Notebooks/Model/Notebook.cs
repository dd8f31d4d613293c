using System.Text.Json.Nodes;
using Course.Notebooks.Kernel;

namespace Course.Notebooks.Model;

/// <summary>An nbformat 4 notebook. Read and write it with <see cref="NotebookFile"/>.</summary>
public sealed class Notebook
{
    public int FormatMajor { get; set; } = 4;

    public int FormatMinor { get; set; } = 5;

    /// <summary>Notebook metadata (kernelspec, language_info, course, ...), kept as read.</summary>
    public JsonObject Metadata { get; set; } = new();

    public List<Cell> Cells { get; } = new();

    /// <summary>A new C# notebook with the kernelspec the course uses.</summary>
    public static Notebook CreateCSharp(params Cell[] cells)
    {
        var notebook = new Notebook
        {
            Metadata = new JsonObject
            {
                ["kernelspec"] = KernelSpec.NotebookKernelspec(),
                ["language_info"] = KernelSpec.LanguageInfo(),
            },
        };
        notebook.Cells.AddRange(cells);
        return notebook;
    }
}
