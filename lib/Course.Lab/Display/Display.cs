namespace Course.Lab;

/// <summary>
/// Shows values through the host's display hook: <c>AppContext.GetData("Course.Display")</c> is an
/// <c>Action&lt;object?, string?, bool&gt;</c> (value, displayId, isUpdate) registered by the notebook runner or
/// kernel. Without a hook (console programs, tests) the value's text form goes to the console.
/// </summary>
public static class Display
{
    public const string HookKey = "Course.Display";
    public const string InteractiveKey = "Course.Interactive";

    /// <summary>True when a live session (kernel) set <c>Course.Interactive</c>; runs headless otherwise.</summary>
    public static bool IsInteractive => AppContext.GetData(InteractiveKey) is true or "true" or "True";

    internal static Action<object?, string?, bool>? Hook => AppContext.GetData(HookKey) as Action<object?, string?, bool>;

    /// <summary>Displays <paramref name="value"/>; returns false (and prints its text) when no host hook exists.</summary>
    public static bool Show(object? value, string? displayId = null, bool isUpdate = false)
    {
        var hook = Hook;
        if (hook is null)
        {
            Console.WriteLine(value?.ToString() ?? "null");
            return false;
        }
        hook(value, displayId, isUpdate);
        return true;
    }

    /// <summary>A fresh id for a display that will be updated in place.</summary>
    public static string NewId() => "course-" + Guid.NewGuid().ToString("N")[..12];
}
