using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Course.Notebooks.Execution;

/// <summary>Turns compiler diagnostics and exceptions into <see cref="CellError"/>s that point into cells.</summary>
internal static partial class CellErrors
{
    private const int MaxDiagnostics = 10;

    public static CellError Compile(string notebook, string cellLabel, IReadOnlyList<Diagnostic> errors, Func<string?, string?> cellOfFile)
    {
        var lines = errors.Take(MaxDiagnostics).Select(d => Describe(notebook, cellLabel, d, cellOfFile)).ToList();
        if (errors.Count > MaxDiagnostics) lines.Add($"... and {errors.Count - MaxDiagnostics} more errors");
        var first = errors[0].Location.GetLineSpan();
        return new CellError("CompilationError", lines[0], lines, lines[0],
            first.IsValid ? first.StartLinePosition.Line + 1 : null,
            first.IsValid ? first.StartLinePosition.Character + 1 : null);
    }

    /// <summary>"nb.ipynb: cell 5, line 3, col 12: error CS0103: ..."; a #load-ed file is named instead of the cell.</summary>
    private static string Describe(string notebook, string cellLabel, Diagnostic d, Func<string?, string?> cellOfFile)
    {
        var span = d.Location.GetLineSpan();
        var message = d.GetMessage(CultureInfo.InvariantCulture);
        if (!span.IsValid) return $"{notebook}: {cellLabel}: error {d.Id}: {message}";
        var where = cellOfFile(span.Path) is { } cell ? $"{notebook}: {cell}" : span.Path;
        return $"{where}, line {span.StartLinePosition.Line + 1}, col {span.StartLinePosition.Character + 1}: error {d.Id}: {message}";
    }

    public static CellError Directive(string notebook, string cellLabel, int line, int column, string message)
    {
        var text = $"{notebook}: {cellLabel}, line {line}, col {column}: {message}";
        return new CellError("CompilationError", text, [text], text, line, column);
    }

    /// <summary>Type, message and the frames inside cells; the library frame that threw is kept for context.</summary>
    public static CellError Runtime(string notebook, string cellLabel, Exception exception, Func<string?, string?> cellOfFile)
    {
        exception = Unwrap(exception);
        var traceback = new List<string> { $"{exception.GetType().FullName}: {exception.Message}" };
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
            traceback.Add($" ---> {inner.GetType().FullName}: {inner.Message}");

        (string Cell, int Line)? innermost = null, inRunningCell = null;
        bool throwSiteShown = false;
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: true).GetFrames())
        {
            var method = frame.GetMethod();
            if (cellOfFile(frame.GetFileName()) is { } cell)
            {
                int line = frame.GetFileLineNumber();
                innermost ??= (cell, line);
                if (cell == cellLabel) inRunningCell ??= (cell, line);
                traceback.Add($"   at {MethodName(method)} in {cell}, line {line}");
            }
            else if (innermost is null && !throwSiteShown && method is not null)
            {
                // The library method that threw names the op; deeper library frames would only be noise.
                traceback.Add($"   at {method.DeclaringType?.FullName}.{method.Name} (library)");
                throwSiteShown = true;
            }
        }

        // Execution started in the running cell, so the error belongs to it (with its line when its frame has one);
        // a helper from another cell that threw is named as the throw site.
        var where = inRunningCell is { } r ? $"{r.Cell}, line {r.Line}" : cellLabel;
        var thrownElsewhere = innermost is { } i && i != inRunningCell ? $" (thrown in {i.Cell}, line {i.Line})" : "";
        var message = $"{notebook}: {where}: {exception.GetType().FullName}: {exception.Message}{thrownElsewhere}";
        return new CellError(exception.GetType().Name, exception.Message, traceback, message, inRunningCell?.Line);
    }

    public static CellError Timeout(string notebook, string cellLabel, TimeSpan limit, string hint)
    {
        var text = $"{notebook}: {cellLabel}: timed out after {limit.TotalSeconds:0.###} s ({hint})";
        return new CellError("TimeoutError", $"timed out after {limit.TotalSeconds:0.###} s", [text], text);
    }

    public static CellError Cancelled(string notebook, string cellLabel)
    {
        var text = $"{notebook}: {cellLabel}: cancelled";
        return new CellError("OperationCanceledException", "cancelled", [text], text);
    }

    private static Exception Unwrap(Exception e) => e switch
    {
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        _ => e,
    };

    // Script code compiles to Submission#N.<<Initialize>>d__0.MoveNext and <Main>g__Local|0_0: show what the author wrote.
    private static string MethodName(MethodBase? method)
    {
        if (method is null) return "?";
        var type = method.DeclaringType;
        var full = $"{type?.Name}.{method.Name}";
        if (full.Contains("<<Initialize>>", StringComparison.Ordinal) || method.Name == "<Initialize>") return "top level";
        if (LocalFunction().Match(method.Name) is { Success: true } local) return local.Groups[1].Value;
        if (StateMachine().Match(type?.Name ?? "") is { Success: true } async) return async.Groups[1].Value;
        if (type?.Name.StartsWith("Submission#", StringComparison.Ordinal) == true) return method.Name;
        return Lambda().Replace($"{type?.Name}.{method.Name}", "lambda");
    }

    [GeneratedRegex(@"g__(\w+)\|")]
    private static partial Regex LocalFunction();

    [GeneratedRegex(@"^<(\w+)>d__\d+$")]
    private static partial Regex StateMachine();

    [GeneratedRegex(@"<[^>]*>b__[\w|]+")]
    private static partial Regex Lambda();
}
