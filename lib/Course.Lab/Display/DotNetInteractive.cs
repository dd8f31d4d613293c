using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Course.Lab;

/// <summary>
/// The .NET Interactive kernel as a display host, reached by reflection so that no .NET Interactive package is
/// referenced: displays and in-place updates are published as its DisplayedValueProduced / DisplayedValueUpdated
/// events with the course's own display id (its <c>display(x).Update(y)</c> sends updates under a new id, so nothing
/// would update in place), and compiler warnings are turned off for the cells after the library is loaded, as the
/// course kernel never shows them (CS1701 from package references, CS8632 from nullable annotations in cells).
/// </summary>
internal static class DotNetInteractive
{
    private const string Core = "Microsoft.DotNet.Interactive";

    private static readonly Lazy<Api?> Bound = new(Bind);

    /// <summary>True while a .NET Interactive cell runs on this logical thread.</summary>
    public static bool InCell => Bound.Value?.Context() is not null;

    /// <summary>Shows <paramref name="value"/> in the running .NET Interactive cell; false outside one.</summary>
    public static bool TryShow(object? value, string? displayId, bool isUpdate)
    {
        var api = Bound.Value;
        if (api?.Context() is not { } context) return false;
        var formatted = api.Format(value);
        var command = api.Command(context);
        var displayEvent = isUpdate && !string.IsNullOrEmpty(displayId)
            ? api.Updated.Invoke([value, displayId, command, formatted])
            : api.Produced.Invoke([value, command, formatted, displayId]);
        api.Publish.Invoke(context, [displayEvent]);
        return true;
    }

    // Runs when the library is first used, inside the cell that uses it: later cells compile without warnings.
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The library must act when a .NET Interactive cell first loads it; elsewhere this returns at once.")]
    internal static void QuietCompilerWarnings()
    {
        if (Bound.Value is not { } api || api.Context() is not { } context) return;
        var kernel = context.GetType().GetProperty("HandlingKernel")?.GetValue(context);
        var field = kernel?.GetType().GetField("_scriptOptions", BindingFlags.Instance | BindingFlags.NonPublic);
        var options = field?.GetValue(kernel);
        var withWarningLevel = options?.GetType().GetMethod("WithWarningLevel", [typeof(int)]);
        if (withWarningLevel is null) return; // another host or version: leave it as it is
        field!.SetValue(kernel, withWarningLevel.Invoke(options, [0]));
    }

    private static Api? Bind()
    {
        var core = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == Core);
        var formatting = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == Core + ".Formatting");
        var contextType = core?.GetType(Core + ".KernelInvocationContext");
        var formattedValue = formatting?.GetType(Core + ".Formatting.FormattedValue");
        if (contextType is null || formattedValue is null) return null;
        var current = contextType.GetProperty("Current", BindingFlags.Public | BindingFlags.Static);
        var executing = contextType.GetProperty("CurrentlyExecutingCommand") ?? contextType.GetProperty("Command");
        var publish = contextType.GetMethods().FirstOrDefault(m => m.Name == "Publish" && m.GetParameters().Length == 1);
        var produced = core!.GetType(Core + ".Events.DisplayedValueProduced")?.GetConstructors().FirstOrDefault(c => c.GetParameters().Length == 4);
        var updated = core.GetType(Core + ".Events.DisplayedValueUpdated")?.GetConstructors().FirstOrDefault(c => c.GetParameters().Length == 4);
        var create = formattedValue.GetConstructor([typeof(string), typeof(string)]);
        var createMany = formattedValue.GetMethod("CreateManyFromObject", [typeof(object), typeof(string[])]);
        if (current is null || executing is null || publish is null || produced is null || updated is null || create is null || createMany is null) return null;
        return new Api(() => current.GetValue(null), c => executing.GetValue(c), publish, produced, updated, formattedValue, create, createMany);
    }

    private sealed record Api(
        Func<object?> Context, Func<object, object?> Command, MethodInfo Publish, ConstructorInfo Produced, ConstructorInfo Updated,
        Type FormattedValue, ConstructorInfo CreateFormattedValue, MethodInfo CreateMany)
    {
        /// <summary>Course types render every MIME type they declare (the metric JSON too); anything else as .NET Interactive formats it.</summary>
        public object Format(object? value)
        {
            if (value is not IMimeRenderable renderable) return CreateMany.Invoke(null, [value, Array.Empty<string>()])!;
            var mimeTypes = MimeRendering.MimeTypesOf(renderable);
            var formatted = Array.CreateInstance(FormattedValue, mimeTypes.Count);
            for (int i = 0; i < mimeTypes.Count; i++)
                formatted.SetValue(CreateFormattedValue.Invoke([mimeTypes[i], renderable.Render(mimeTypes[i])]), i);
            return formatted;
        }
    }
}
