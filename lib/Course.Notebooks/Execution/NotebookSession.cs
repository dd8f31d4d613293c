using System.Collections.Concurrent;
using System.Diagnostics;
using Course.Notebooks.Display;
using Course.Notebooks.Execution.Scripting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace Course.Notebooks.Execution;

/// <summary>
/// The execution core: one Roslyn script state for one notebook. Cells run in the order given; each call takes
/// the cell's source and reports what it produces as <see cref="CellEvent"/>s, so the headless runner and a
/// Jupyter kernel drive it the same way. One cell at a time.
/// </summary>
public sealed class NotebookSession
{
    /// <summary>How long a timed-out or cancelled cell gets to honour its CancellationToken.</summary>
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(1);

    private readonly ScriptOptions _scriptOptions;
    private readonly NotebookGlobals _globals = new();
    private readonly ConcurrentDictionary<string, string> _cellOfFile = new(StringComparer.Ordinal);
    private readonly string _fileStem;
    private ScriptState<object>? _state;
    private string? _brokenBy;

    public NotebookSession(SessionOptions options)
    {
        Options = options;
        _scriptOptions = ScriptEnvironment.ForDirectory(Path.GetFullPath(options.BaseDirectory));
        _fileStem = Path.Combine(Path.GetFullPath(options.BaseDirectory), Path.GetFileName(options.Name));
        OutputRouter.EnsureInstalled();
    }

    public SessionOptions Options { get; }

    /// <summary>
    /// True when a timed-out or cancelled cell ignored its CancellationToken: it may still be running (.NET cannot
    /// abort a thread), so the state is no longer trustworthy and further cells are refused.
    /// </summary>
    public bool IsBroken => _brokenBy is not null;

    /// <summary>Compiles and runs one cell. Never throws for errors in the cell: they come back in the result.</summary>
    /// <param name="code">The cell's source.</param>
    /// <param name="cellLabel">How messages name the cell, e.g. "cell 5".</param>
    /// <param name="onEvent">Receives output as it happens, from any thread, one call at a time.</param>
    /// <param name="timeout">Overrides <see cref="SessionOptions.CellTimeout"/>.</param>
    public async Task<CellResult> ExecuteAsync(string code, string cellLabel, Action<CellEvent> onEvent, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ThrowIfBroken(cellLabel);
        var cell = await Task.Run(() => Compile(code, cellLabel, after: null, cancellationToken), CancellationToken.None).ConfigureAwait(false);
        return await ExecuteAsync(cell, onEvent, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Compiles a cell without running it: on top of <paramref name="after"/> when given (a cell compiled but not
    /// yet run, to compile ahead), else on top of the last cell that ran. Thread-safe with a running cell.
    /// </summary>
    public CompiledCell Compile(string code, string cellLabel, CompiledCell? after = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        if (after is { Script: null })
            throw new ArgumentException($"{Options.Name}: cannot compile {cellLabel} after {after.Label}, which did not compile", nameof(after));
        if (RejectNuGet(code, cellLabel) is { } nugetError)
            return new CompiledCell(cellLabel, null, null, false, nugetError, clock.Elapsed);

        // Each cell gets its own pseudo file path, so compiler locations and stack frames map back to the cell.
        var filePath = $"{_fileStem}[{cellLabel}]";
        _cellOfFile[filePath] = cellLabel;
        var options = _scriptOptions.WithFilePath(filePath);
        var previous = after is not null ? after.Script : _state?.Script;
        var script = previous is null
            ? CSharpScript.Create(code, options, typeof(NotebookGlobals))
            : previous.ContinueWith(code, options);

        List<Diagnostic> errors;
        try
        {
            errors = script.Compile(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new CompiledCell(cellLabel, null, previous, false, CellErrors.Cancelled(Options.Name, cellLabel), clock.Elapsed);
        }
        if (errors.Count > 0)
            return new CompiledCell(cellLabel, null, previous, false, CellErrors.Compile(Options.Name, cellLabel, errors, CellOfFile), clock.Elapsed);
        return new CompiledCell(cellLabel, script, previous, HasResultValue(script.GetCompilation(), filePath), null, clock.Elapsed);
    }

    /// <summary>Runs a compiled cell; it must continue the last cell that ran.</summary>
    public async Task<CellResult> ExecuteAsync(CompiledCell cell, Action<CellEvent> onEvent, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ThrowIfBroken(cell.Label);
        var compiled = cell.Elapsed;
        if (cell.Script is not { } script)
        {
            var status = cancellationToken.IsCancellationRequested ? CellStatus.Cancelled : CellStatus.CompileError;
            return new CellResult(status, compiled, cell.Error) { CompileElapsed = compiled };
        }
        if (!ReferenceEquals(cell.Previous, _state?.Script))
            throw new InvalidOperationException($"{Options.Name}: {cell.Label} was compiled after a cell that has not run");
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? Options.CellTimeout;
        var cellLabel = cell.Label;

        using var cellCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var context = new CellContext(onEvent, cellCancellation.Token, this);
        var previous = _state;
        var run = Task.Run(() =>
        {
            OutputRouter.Current = context;
            return previous is null
                ? script.RunAsync(_globals, _ => true, cellCancellation.Token)
                : script.RunFromAsync(previous, _ => true, cellCancellation.Token);
        }, CancellationToken.None);

        Task finished;
        using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            finished = await Task.WhenAny(run, Task.Delay(limit, timer.Token)).ConfigureAwait(false);
            timer.Cancel(); // releases the delay's timer when the cell finished first
        }
        if (finished != run)
        {
            // Cells that watch CancellationToken stop now; others keep running, abandoned, and the session is broken.
            cellCancellation.Cancel();
            bool stopped = await Task.WhenAny(run, Task.Delay(StopGracePeriod, CancellationToken.None)).ConfigureAwait(false) == run;
            context.Close();
            if (!stopped) _brokenBy = cellLabel;
            else if (run.IsCompletedSuccessfully) _state = run.Result;
            return cancellationToken.IsCancellationRequested
                ? Result(CellStatus.Cancelled, CellErrors.Cancelled(Options.Name, cellLabel))
                : Result(CellStatus.TimedOut, CellErrors.Timeout(Options.Name, cellLabel, limit, Options.TimeoutHint));
        }

        ScriptState<object> state;
        try
        {
            state = await run.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            context.Close();
            return Result(CellStatus.RuntimeError, CellErrors.Runtime(Options.Name, cellLabel, e, CellOfFile));
        }
        _state = state;

        if (state.Exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // The cell honoured the token and ended: the session is still sound.
            context.Close();
            return Result(CellStatus.Cancelled, CellErrors.Cancelled(Options.Name, cellLabel));
        }
        if (state.Exception is { } exception)
        {
            context.Close();
            return Result(CellStatus.RuntimeError, CellErrors.Runtime(Options.Name, cellLabel, exception, CellOfFile));
        }
        try
        {
            // Formatters of the last value run in the cell's context, as display(x) inside the cell does: they see its
            // session (a chart's first display in a session carries plotly.js). display(x) as the last expression
            // already showed x: do not show its handle too.
            OutputRouter.Current = context;
            if (cell.HasValue && state.ReturnValue is not DisplayHandle)
                context.Publish(new ResultEvent(DisplayFormatter.Format(state.ReturnValue)));
        }
        catch (Exception e)
        {
            return Result(CellStatus.RuntimeError, CellErrors.Runtime(Options.Name, cellLabel, e, CellOfFile));
        }
        finally
        {
            context.Close();
        }
        return Result(CellStatus.Ok, null);

        // A cell's time is its compile time plus its run time, even when it was compiled ahead.
        CellResult Result(CellStatus status, CellError? error) => new(status, compiled + clock.Elapsed, error) { CompileElapsed = compiled };
    }

    /// <summary>
    /// The compilation of <paramref name="code"/> continuing the last cell that ran, errors and all: for editor
    /// tooling (completions, inspection), never run. Returns the compilation and the cell's syntax tree.
    /// </summary>
    internal (Compilation Compilation, SyntaxTree Tree) CompileForTooling(string code, CancellationToken cancellationToken = default)
    {
        var filePath = $"{_fileStem}[tooling]";
        var options = _scriptOptions.WithFilePath(filePath);
        var script = _state?.Script is { } previous
            ? previous.ContinueWith(code, options)
            : CSharpScript.Create(code, options, typeof(NotebookGlobals));
        var compilation = script.GetCompilation();
        cancellationToken.ThrowIfCancellationRequested();
        return (compilation, compilation.SyntaxTrees.Last(t => t.FilePath == filePath));
    }

    /// <summary>True when <paramref name="cell"/> was compiled on top of the last cell that ran, so it can run now.</summary>
    internal bool Continues(CompiledCell cell) => ReferenceEquals(cell.Previous, _state?.Script);

    private void ThrowIfBroken(string cellLabel)
    {
        if (_brokenBy is not null)
            throw new InvalidOperationException($"{Options.Name}: cannot run {cellLabel}: the session stopped when {_brokenBy} did not finish");
    }

    // A cell shows a value when it ends with an expression without ';' whose type is not void (Roslyn's own rule,
    // which it does not make public).
    private static bool HasResultValue(Compilation compilation, string filePath)
    {
        var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == filePath);
        if (tree?.GetCompilationUnitRoot().Members.LastOrDefault() is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax statement }
            || !statement.SemicolonToken.IsMissing)
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    private string? CellOfFile(string? path) => path is not null && _cellOfFile.TryGetValue(path, out var cell) ? cell : null;

    // The course ships its own library; NuGet restore inside a notebook would be slow, online and unversioned.
    private CellError? RejectNuGet(string code, string cellLabel)
    {
        if (!code.Contains("nuget:", StringComparison.OrdinalIgnoreCase)) return null;
        var tree = CSharpSyntaxTree.ParseText(code, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script));
        foreach (var directive in tree.GetCompilationUnitRoot().GetReferenceDirectives())
        {
            var target = directive.File.ValueText;
            if (!target.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase)) continue;
            var at = directive.GetLocation().GetLineSpan().StartLinePosition;
            return CellErrors.Directive(Options.Name, cellLabel, at.Line + 1, at.Character + 1,
                $"#r \"{target}\" is not supported: notebooks load the course library instead, " +
                "with #r \"../artifacts/lib/Course.Lab.dll\" (relative to the notebook; see notebooks/README.md)");
        }
        return null;
    }
}
