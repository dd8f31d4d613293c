using System.Globalization;

namespace Course.Bench;

/// <summary>A measured row, ours or PyTorch's.</summary>
public sealed record RowResult(string Id, string Name, BenchStats Stats, double? Flops)
{
    public double? GFlops => Flops is null ? null : Flops / Stats.Median / 1e9;
}

/// <summary>One row of the comparison: time ours / time PyTorch's, against the row's target (null: information only).</summary>
public sealed record Comparison(string Id, double OursMs, double TorchMs, double? Target)
{
    public double Ratio => OursMs / TorchMs;
    public bool? Met => Target is { } t ? Ratio <= t : null;
}

/// <summary>Prints tables in pytorch_reference.py's format, the ours-versus-PyTorch comparison and its summary over runs.</summary>
public static class ResultTable
{
    private static readonly string Header =
        $"{"benchmark",-56} {"med ms",9} {"min ms",9} {"max ms",9} {"steps/s",9} {"~GF/s",7} {"inner",5}";

    public const string OurFootnote =
        "~GF/s: a/g exact FLOPs (2mnk, 2*N*Cout*H*W*Cin*9); b-f estimated as in pytorch_reference.py; h: ms per chain = us per op.";

    public static void Print(TextWriter o, IEnumerable<RowResult> rows, string footnote)
    {
        o.WriteLine(Header);
        o.WriteLine(new string('-', Header.Length));
        foreach (var r in rows)
        {
            var s = r.Stats;
            string gf = r.GFlops is { } g ? $"{g,7:F1}" : new string(' ', 7);
            o.WriteLine(Invariant($"{r.Name,-56} {s.Median * 1e3,9:F3} {s.Min * 1e3,9:F3} {s.Max * 1e3,9:F3} {1 / s.Median,9:F1} {gf} {s.Inner,5}"));
        }
        o.WriteLine(footnote);
    }

    /// <summary>Pairs our rows with PyTorch's by id and prints ratio, target and verdict per row.</summary>
    public static IReadOnlyList<Comparison> PrintComparison(TextWriter o, IEnumerable<(RowResult Row, double? Target)> ours, IReadOnlyList<RowResult> torch)
    {
        var list = new List<Comparison>();
        string h = $"{"row",-4} {"ours ms",10} {"torch ms",10} {"ours/torch",10} {"target",7} {"met",5}";
        o.WriteLine(h);
        o.WriteLine(new string('-', h.Length));
        foreach (var (r, target) in ours)
        {
            var t = torch.FirstOrDefault(x => x.Id == r.Id);
            if (t is null)
            {
                o.WriteLine(Invariant($"{r.Id,-4} {r.Stats.Median * 1e3,10:F3} {"n/a",10}  no PyTorch row"));
                continue;
            }
            var c = new Comparison(r.Id, r.Stats.Median * 1e3, t.Stats.Median * 1e3, target);
            list.Add(c);
            o.WriteLine(Invariant($"{c.Id,-4} {c.OursMs,10:F3} {c.TorchMs,10:F3} {c.Ratio,10:F2} {TargetText(c.Target),7} {MetText(c.Met),5}"));
        }
        o.WriteLine("ours/torch < 1 means TorchSharp is faster. Measured back to back in this run; only ratios carry between runs.");
        return list;
    }

    /// <summary>Per row over several --compare runs: the range of our time, PyTorch's time and the ratio, and how often the target held.</summary>
    public static void PrintSummary(TextWriter o, IReadOnlyList<IReadOnlyList<Comparison>> runs)
    {
        string h = $"{"row",-4} {"ours ms",17} {"torch ms",17} {"ours/torch",12} {"median",7} {"target",7} {"met",7}";
        o.WriteLine($"# summary over {runs.Count} runs (min-max, and the median ratio)");
        o.WriteLine(h);
        o.WriteLine(new string('-', h.Length));
        foreach (var id in runs.SelectMany(r => r.Select(c => c.Id)).Distinct())
        {
            var cs = runs.SelectMany(r => r.Where(c => c.Id == id)).ToList();
            string met = cs[0].Target is null ? "info" : $"{cs.Count(c => c.Met == true)}/{cs.Count}";
            o.WriteLine(Invariant($"{id,-4} {Range(cs.Select(c => c.OursMs), "F3"),17} {Range(cs.Select(c => c.TorchMs), "F3"),17} {Range(cs.Select(c => c.Ratio), "F2"),12} {BenchTimer.Median(cs.Select(c => c.Ratio).ToList()),7:F2} {TargetText(cs[0].Target),7} {met,7}"));
        }
    }

    private static string Range(IEnumerable<double> values, string format)
    {
        var v = values.ToList();
        return Invariant($"{v.Min().ToString(format, CultureInfo.InvariantCulture)}-{v.Max().ToString(format, CultureInfo.InvariantCulture)}");
    }

    private static string TargetText(double? target) => target is { } t ? Invariant($"<= {t:F1}") : "-";
    private static string MetText(bool? met) => met switch { true => "yes", false => "NO", null => "info" };
    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
