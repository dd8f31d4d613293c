using System.Globalization;
using Course.Bench;
using Course.Shared;

// Allocator and OpenMP settings before the first tensor (see NativeTuning; COURSE_NATIVE_TUNING=0 measures without them).
NativeTuning.Apply();

const string Usage =
    "options: --compare  --runs N  --rows a1,a2,...  --reps N (>= 5)  --target-s S  --threads N  --python PATH  --pytorch-script PATH  --pytorch-env same|inherit  --memory [STEPS] [--no-scope]";
var rowIds = new List<string>();
int reps = 7, threads = 2, runs = 1;
double targetSeconds = 0.3;
bool compare = false;
string python = "/usr/bin/python3";
string? script = null;
int? memorySteps = null;
bool memoryScopes = true;
bool pytorchSameEnv = true;   // PyTorch under the allocator and OpenMP settings TorchSharp runs with (NativeTuning)
try
{
    for (int i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
        switch (args[i])
        {
            case "--compare": compare = true; break;
            case "--runs": runs = NextInt(); break;
            case "--rows": rowIds.AddRange(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
            case "--reps": reps = NextInt(); break;
            case "--target-s": targetSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "--threads": threads = NextInt(); break;
            case "--python": python = Next(); break;
            case "--pytorch-script": script = Next(); break;
            case "--memory":
                // The step count is optional: take the next argument only if it is a number.
                memorySteps = 10_000;
                if (i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var n)) { memorySteps = n; i++; }
                break;
            case "--no-scope": memoryScopes = false; break;
            case "--pytorch-env":
                pytorchSameEnv = Next() switch
                {
                    "same" => true,
                    "inherit" => false,
                    var v => throw new ArgumentException($"--pytorch-env takes same or inherit, got '{v}'"),
                };
                break;
            case "-h" or "--help":
                Console.WriteLine(Usage);
                Console.WriteLine($"rows: {string.Join(", ", BenchRegistry.All.Select(r => r.Id))}");
                return 0;
            default: throw new ArgumentException($"unknown option {args[i]} ({Usage})");
        }
    }
    if (threads < 1) throw new ArgumentException($"--threads must be at least 1, got {threads}");
    // The same intra-op thread count as the Python scripts, which set theirs from the same option.
    set_num_threads(threads);
    if (memorySteps is { } ms)
    {
        Console.WriteLine(MachineInfo.Line());
        return MemoryCheck.Run(ms, memoryScopes, Console.Out);
    }
    if (reps < 5) throw new ArgumentException($"--reps must be at least 5 (as in pytorch_reference.py), got {reps}");
    if (runs < 1 || (runs > 1 && !compare)) throw new ArgumentException($"--runs N (N >= 1) goes with --compare, got --runs {runs}");
    var rows = BenchRegistry.Select(rowIds);

    var scripts = new List<string>();
    if (compare)
    {
        script ??= PyTorchReference.DefaultScriptPath();
        if (script is null || !File.Exists(script))
            throw new InvalidOperationException($"--compare: pytorch_reference.py not found ({script ?? "<repo>/../shared/bench/pytorch_reference.py"}); pass --pytorch-script PATH");
        if (!File.Exists(PyTorchReference.DispatchScriptPath()))
            throw new InvalidOperationException($"--compare: {PyTorchReference.DispatchScriptPath()} is missing; rebuild bench/Course.Bench");
        if (PyTorchReference.CheckTorch(python) is { } problem) throw new InvalidOperationException($"--compare: {problem}");
        if (rows.Any(r => r.Id != "h")) scripts.Add(script);
        if (rows.Any(r => r.Id == "h")) scripts.Add(PyTorchReference.DispatchScriptPath());
    }

    var comparisons = new List<IReadOnlyList<Comparison>>();
    for (int run = 1; run <= runs; run++)
    {
        if (runs > 1) Console.WriteLine($"## run {run} of {runs}");
        Console.WriteLine(MachineInfo.Line());
        Console.WriteLine($"# TorchSharp  reps={reps}  target-s={targetSeconds}");
        var ours = new List<(RowResult Row, double? Target)>();
        var torchRows = new List<RowResult>();
        // Even runs time PyTorch first, so that a machine growing busier or quieter during a run does not
        // always favour the same side.
        bool torchFirst = compare && run % 2 == 0;
        if (torchFirst) RunPyTorch();
        foreach (var row in rows)
        {
            using var step = row.CreateStep();
            ours.Add((new RowResult(row.Id, row.Name, BenchTimer.Measure(step.Run, reps, targetSeconds), row.Flops), row.Target));
        }
        ResultTable.Print(Console.Out, ours.Select(o => o.Row), ResultTable.OurFootnote);
        if (!compare) continue;
        if (!torchFirst) RunPyTorch();
        Console.WriteLine();
        Console.WriteLine(MachineInfo.Line());
        comparisons.Add(ResultTable.PrintComparison(Console.Out, ours, torchRows));
        Console.WriteLine();

        void RunPyTorch()
        {
            foreach (var s in scripts)
            {
                Console.WriteLine($"# PyTorch: {python} {s}");
                var (info, parsed) = PyTorchReference.RunScript(python, s, reps, targetSeconds, threads, pytorchSameEnv);
                foreach (var l in info) Console.WriteLine(l);
                ResultTable.Print(Console.Out, parsed, "(PyTorch's table, parsed and reprinted)");
                torchRows.AddRange(parsed);
                Console.WriteLine();
            }
        }
    }
    if (comparisons.Count > 1) ResultTable.PrintSummary(Console.Out, comparisons);
    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
{
    Console.Error.WriteLine($"Course.Bench: {e.Message}");
    return 2;
}
