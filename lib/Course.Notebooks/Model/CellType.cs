namespace Course.Notebooks.Model;

/// <summary>The three nbformat cell types.</summary>
public enum CellType
{
    Markdown,
    Code,
    Raw,
}
