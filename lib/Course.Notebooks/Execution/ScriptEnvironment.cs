using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Course.Notebooks.Execution.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Course.Notebooks.Execution;

/// <summary>
/// The compiler settings every notebook shares, built once per process (references are the expensive part),
/// and a warm-up that pays Roslyn's first-compile cost in the background.
/// </summary>
public static class ScriptEnvironment
{
    /// <summary>
    /// The usings .NET Interactive's C# kernel had, plus the namespace of display() (which holds nothing else, so
    /// no runner type can clash with a course type such as Course.Lab.Metric).
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultImports =
    [
        "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Linq",
        "System.Threading.Tasks", typeof(NotebookGlobals).Namespace!,
    ];

    // Framework assemblies a notebook may use without #r (runtime implementation assemblies from the TPA list).
    private static readonly string[] FrameworkAssemblies =
    [
        "System.Runtime", "System.Private.CoreLib", "System.Console", "System.Collections", "System.Collections.Concurrent",
        "System.Collections.Immutable", "System.Linq", "System.Linq.Expressions", "System.Memory", "System.Numerics.Vectors",
        "System.Runtime.Numerics", "System.Runtime.Extensions", "System.Runtime.InteropServices", "System.Threading",
        "System.Threading.Tasks", "System.Threading.Tasks.Parallel", "System.Threading.Thread", "System.Text.RegularExpressions",
        "System.Text.Json", "System.Text.Encoding.Extensions", "System.IO", "System.IO.Compression", "System.IO.FileSystem",
        "System.Diagnostics.Process", "System.Diagnostics.StackTrace", "System.Diagnostics.Debug", "System.Net.Http",
        "System.Net.Primitives", "System.ObjectModel", "System.Reflection", "System.ComponentModel.Primitives",
        "System.Security.Cryptography", "System.Web.HttpUtility", "netstandard", "System.ValueTuple",
    ];

    private static readonly Lazy<ScriptOptions> Base = new(CreateBaseOptions);
    private static readonly Lazy<Task<TimeSpan>> WarmUpTask = new(() => Task.Run(WarmUp));

    /// <summary>Options for one notebook: shared references and imports, resolvers rooted at its folder.</summary>
    public static ScriptOptions ForDirectory(string baseDirectory) =>
        Base.Value
            .WithMetadataResolver(new NotebookReferenceResolver(baseDirectory))
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(baseDirectory));

    /// <summary>
    /// Compiles and runs a tiny script once per process (on the thread pool) and reports how long it took:
    /// Roslyn's JIT warm-up. Start it early; sessions do not wait for it, they only run faster once it is done.
    /// </summary>
    public static Task<TimeSpan> WarmUpAsync() => WarmUpTask.Value;

    private static TimeSpan WarmUp()
    {
        var clock = Stopwatch.StartNew();
        OutputRouter.EnsureInstalled();
        var script = CSharpScript.Create(
            "var squares = Enumerable.Range(0, 4).Select(i => i * i).ToList();\nawait Task.Yield();\nsquares.Sum()",
            Base.Value.WithFilePath("warm-up.csx"), typeof(NotebookGlobals));
        script.ContinueWith("squares.Count").RunAsync(new NotebookGlobals()).GetAwaiter().GetResult();
        return clock.Elapsed;
    }

    private static ScriptOptions CreateBaseOptions()
    {
        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var references = FrameworkAssemblies
            .Where(trusted.ContainsKey)
            .Select(name => (MetadataReference)MetadataReference.CreateFromFile(trusted[name]))
            .Append(MetadataReference.CreateFromFile(typeof(NotebookGlobals).Assembly.Location));

        return ScriptOptions.Default
            .WithReferences(references)
            .WithImports(DefaultImports)
            .WithLanguageVersion(LanguageVersion.Latest)
            // Training loops live in cells: optimized code, with debug info so exceptions still have cell lines.
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithAllowUnsafe(true);
    }
}
