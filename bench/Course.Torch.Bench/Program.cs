using System.Globalization;
using Course.Torch.Bench;
using Course.Torch.Kernels;

// Usage: dotnet run -c Release --project bench/Course.Torch.Bench [-- --compare] [--rows a1,a2,g] [--reps N]
//        [--target-s S] [--threads N] [--python PATH] [--pytorch-script PATH] [--memory [STEPS]]
var rowIds = new List<string>();
int reps = 7;
double targetSeconds = 0.3;
bool compare = false;
string python = "/usr/bin/python3";
string? script = null;
int? memorySteps = null;
try
{
    for (int i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--compare": compare = true; break;
            case "--rows": rowIds.AddRange(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
            case "--reps": reps = int.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "--target-s": targetSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "--threads": Gemm.MaxThreads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "--python": python = Next(); break;
            case "--pytorch-script": script = Next(); break;
            case "--memory":
                // The step count is optional: take the next argument only if it is a number.
                memorySteps = 10_000;
                if (i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var n)) { memorySteps = n; i++; }
                break;
            case "-h" or "--help":
                Console.WriteLine("options: --compare  --rows a1,a2,...  --reps N (>= 5)  --target-s S  --threads N  --python PATH  --pytorch-script PATH  --memory [STEPS]");
                Console.WriteLine($"rows: {string.Join(", ", BenchRegistry.All.Select(r => r.Id))}");
                return 0;
            default: throw new ArgumentException($"unknown option {args[i]} (try --help)");
        }
    }
    if (memorySteps is { } ms)
    {
        Console.WriteLine(MachineInfo.Line());
        return MemoryCheck.Run(ms, Console.Out);
    }
    if (reps < 5) throw new ArgumentException($"--reps must be at least 5 (as in pytorch_reference.py), got {reps}");
    var rows = BenchRegistry.Select(rowIds);

    string? torchProblem = null;
    if (compare)
    {
        script ??= PyTorchReference.DefaultScriptPath();
        if (script is null || !File.Exists(script))
            torchProblem = $"pytorch_reference.py not found ({script ?? "<repo>/../shared/bench/"}); pass --pytorch-script PATH";
        else
            torchProblem = PyTorchReference.CheckTorch(python);
        if (torchProblem is not null) Console.Error.WriteLine($"--compare: {torchProblem}");
    }

    Console.WriteLine(MachineInfo.Line());
    Console.WriteLine($"# Course.Torch  reps={reps}  target-s={targetSeconds}");
    var ours = new List<RowResult>();
    foreach (var row in rows)
    {
        if (row.Unavailable is { } why)
        {
            ours.Add(new RowResult(row.Id, row.Name, null, row.Flops, why));
            continue;
        }
        var stats = BenchTimer.Measure(row.CreateStep(), reps, targetSeconds);
        ours.Add(new RowResult(row.Id, row.Name, stats, row.Flops));
        GC.Collect();
    }
    ResultTable.Print(Console.Out, ours, ResultTable.OurFootnote);

    if (compare && torchProblem is null)
    {
        Console.WriteLine();
        Console.WriteLine($"# PyTorch: {python} {script}");
        var (info, torchRows) = PyTorchReference.RunScript(python, script!, reps, targetSeconds);
        foreach (var l in info) Console.WriteLine(l);
        ResultTable.Print(Console.Out, torchRows, "(PyTorch's table, parsed and reprinted)");
        Console.WriteLine();
        Console.WriteLine(MachineInfo.Line());
        ResultTable.PrintComparison(Console.Out, ours, torchRows);
    }
    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
{
    Console.Error.WriteLine($"Course.Torch.Bench: {e.Message}");
    return 2;
}
