namespace Course.Notebooks.Execution.Scripting;

/// <summary>What display(x) returns: a shown output that can be replaced in place with <see cref="Update"/>.</summary>
public sealed class DisplayHandle
{
    internal DisplayHandle(string displayId) => DisplayId = displayId;

    public string DisplayId { get; }

    /// <summary>Replaces the displayed output with <paramref name="value"/>.</summary>
    public void Update(object? value, params string[] mimeTypes) =>
        OutputRouter.Display(value, mimeTypes, DisplayId, isUpdate: true);

    internal static DisplayHandle Show(object? value, string[] mimeTypes)
    {
        var handle = new DisplayHandle(Guid.NewGuid().ToString("N"));
        OutputRouter.Display(value, mimeTypes, handle.DisplayId, isUpdate: false);
        return handle;
    }

    public override string ToString() => $"display {DisplayId}";
}
