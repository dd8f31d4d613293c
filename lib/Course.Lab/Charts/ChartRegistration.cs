using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Plotly.NET;

namespace Course.Lab;

/// <summary>
/// Makes Plotly.NET charts work wherever Course.Lab loads (called from the module initializer). The resolver comes
/// first and names no Plotly.NET type, because loading one may already need FSharp.Core.
/// </summary>
internal static class ChartRegistration
{
    public static void Initialize()
    {
        AssemblyLoadContext.Default.Resolving += ResolveFSharpCore;
        RegisterFormatters();
    }

    // The .NET Interactive tool ships FSharp.Core 10.0 while Plotly.NET 6 asks for 10.1: the runtime then finds no
    // FSharp.Core it may bind, and this hands it the one the host has (measured to work; the difference is additive).
    // Elsewhere a matching FSharp.Core binds before this is asked.
    internal static Assembly? ResolveFSharpCore(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name != "FSharp.Core") return null;
        var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core");
        if (loaded is not null) return loaded;
        var platform = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(Path.PathSeparator).FirstOrDefault(p => Path.GetFileName(p) == "FSharp.Core.dll");
        return platform is null ? null : context.LoadFromAssemblyPath(platform);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterFormatters()
    {
        // GenericChart's own attribute names Plotly.NET's formatter (CDN scripts, and no constructor a host can call):
        // hosts consult this registration first.
        AppContext.SetData(ChartDisplay.FormatterSourceKeyPrefix + typeof(GenericChart).FullName, typeof(ChartFormatterSource));
        RegisterWithDotNetInteractive();
    }

    // .NET Interactive's Formatter, reached by reflection so that no package is referenced. Registered formatters win
    // over the attribute, and preferring both MIME types makes it send both.
    private static void RegisterWithDotNetInteractive()
    {
        const string formatting = "Microsoft.DotNet.Interactive.Formatting";
        var formatter = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == formatting)
            ?.GetType(formatting + ".Formatter");
        if (formatter is not null) RegisterWith(formatter);
    }

    /// <summary>Registers the chart formatter with a Formatter type that has .NET Interactive's static Register methods.</summary>
    internal static void RegisterWith(Type formatter)
    {
        var register = formatter.GetMethod("Register", [typeof(Type), typeof(Action<object, TextWriter>), typeof(string)]);
        var prefer = formatter.GetMethod("SetPreferredMimeTypesFor", [typeof(Type), typeof(string[])]);
        if (register is null || prefer is null) return; // another version: charts show as it formats them
        string[] mimeTypes = ["text/html", ChartDisplay.PlotlyMimeType];
        // The cases of the F# union are the runtime types; register each, in case lookups do not walk base types.
        foreach (var type in typeof(GenericChart).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(GenericChart))).Prepend(typeof(GenericChart)))
        {
            foreach (var mime in mimeTypes)
                register.Invoke(null, [type, (Action<object, TextWriter>)((value, writer) => writer.Write(ChartDisplay.Render(value, mime))), mime]);
            prefer.Invoke(null, [type, mimeTypes]);
        }
    }
}
