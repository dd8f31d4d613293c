namespace Course.Notebooks.Execution.Scripting;

/// <summary>x.Display(), as in .NET Interactive notebooks.</summary>
public static class DisplayExtensions
{
    public static DisplayHandle Display(this object? value, params string[] mimeTypes) => DisplayHandle.Show(value, mimeTypes);
}
