namespace Course.Lab;

/// <summary>
/// Shows values through the host's display hook: <c>AppContext.GetData("Course.Display")</c> is an
/// <c>Action&lt;object?, string?, bool&gt;</c> (value, displayId, isUpdate) registered by the notebook runner or
/// kernel. Inside a .NET Interactive cell it publishes there instead (<see cref="DotNetInteractive"/>). Without
/// either (console programs, tests) the value's text form goes to the console.
/// </summary>
public static class Display
{
    public const string HookKey = "Course.Display";
    public const string InteractiveKey = "Course.Interactive";

    /// <summary>True in a live session: the course kernel set <c>Course.Interactive</c>, or a .NET Interactive cell runs; headless otherwise.</summary>
    public static bool IsInteractive => AppContext.GetData(InteractiveKey) is true or "true" or "True" || DotNetInteractive.InCell;

    /// <summary>True when a host can show a display and later update it in place.</summary>
    public static bool CanUpdateInPlace => Hook is not null || DotNetInteractive.InCell;

    internal static Action<object?, string?, bool>? Hook => AppContext.GetData(HookKey) as Action<object?, string?, bool>;

    /// <summary>Displays <paramref name="value"/>; returns false (and prints its text) when there is no host to show it.</summary>
    public static bool Show(object? value, string? displayId = null, bool isUpdate = false)
    {
        if (Hook is { } hook)
        {
            hook(value, displayId, isUpdate);
            return true;
        }
        if (DotNetInteractive.TryShow(value, displayId, isUpdate)) return true;
        Console.WriteLine(value?.ToString() ?? "null");
        return false;
    }

    /// <summary>A fresh id for a display that will be updated in place.</summary>
    public static string NewId() => "course-" + Guid.NewGuid().ToString("N")[..12];
}
