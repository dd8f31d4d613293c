namespace Course.Notebooks.Execution.Scripting;

/// <summary>Members every cell can use without a using: display(...) and the cell's cancellation token.</summary>
public class NotebookGlobals
{
    /// <summary>Shows a value (optionally only the given MIME types) and returns a handle to update it.</summary>
#pragma warning disable IDE1006 // lower case on purpose: the name .NET Interactive notebooks use.
    public DisplayHandle display(object? value, params string[] mimeTypes) => DisplayHandle.Show(value, mimeTypes);
#pragma warning restore IDE1006

    /// <summary>Cancelled when the cell times out or is interrupted; long loops may check it.</summary>
    public CancellationToken CancellationToken => OutputRouter.Current?.Cancellation ?? CancellationToken.None;
}
