namespace Course.Torch.Bench;

/// <summary>A measured (or unavailable) row, ours or PyTorch's.</summary>
public sealed record RowResult(string Id, string Name, BenchStats? Stats, double? Flops, string? Note = null)
{
    public double? GFlops => Stats is null || Flops is null ? null : Flops / Stats.Median / 1e9;
}

/// <summary>Prints tables in pytorch_reference.py's format, and the ours-versus-PyTorch comparison.</summary>
public static class ResultTable
{
    private static readonly string Header =
        $"{"benchmark",-56} {"med ms",9} {"min ms",9} {"max ms",9} {"steps/s",9} {"~GF/s",7} {"inner",5}";

    public const string OurFootnote =
        "~GF/s: a/g exact FLOPs (2mnk, 2*N*Cout*H*W*Cin*9); ck counted like c (3x forward conv FLOPs).";

    public static void Print(TextWriter o, IEnumerable<RowResult> rows, string footnote)
    {
        o.WriteLine(Header);
        o.WriteLine(new string('-', Header.Length));
        foreach (var r in rows)
        {
            if (r.Stats is not { } s)
            {
                o.WriteLine($"{r.Name,-56} {r.Note}");
                continue;
            }
            string gf = r.GFlops is { } g ? $"{g,7:F1}" : new string(' ', 7);
            o.WriteLine($"{r.Name,-56} {s.Median * 1e3,9:F3} {s.Min * 1e3,9:F3} {s.Max * 1e3,9:F3} {1 / s.Median,9:F1} {gf} {s.Inner,5}");
        }
        o.WriteLine(footnote);
    }

    public static void PrintComparison(TextWriter o, IEnumerable<RowResult> ours, IReadOnlyList<RowResult> torch)
    {
        string h = $"{"row",-4} {"ours ms",10} {"torch ms",10} {"ours/torch",10} {"ours GF/s",10} {"torch GF/s",10}  note";
        o.WriteLine(h);
        o.WriteLine(new string('-', h.Length + 20));
        foreach (var r in ours)
        {
            // ck is our kernels-only share of row c: compare it with PyTorch's whole row c.
            string torchId = r.Id == "ck" ? "c" : r.Id;
            var t = torch.FirstOrDefault(x => x.Id == torchId);
            string oursMs = r.Stats is { } s ? $"{s.Median * 1e3,10:F3}" : $"{"n/a",10}";
            string torchMs = t?.Stats is { } ts ? $"{ts.Median * 1e3,10:F3}" : $"{"n/a",10}";
            string ratio = r.Stats is not null && t?.Stats is not null ? $"{r.Stats.Median / t.Stats.Median,10:F2}" : $"{"-",10}";
            string og = r.GFlops is { } g1 ? $"{g1,10:F1}" : $"{"",10}";
            string tg = t?.GFlops is { } g2 ? $"{g2,10:F1}" : $"{"",10}";
            string note = r.Stats is null ? r.Note ?? "" : r.Id == "ck" ? "vs PyTorch's full row c (kernels only: a lower bound)" : t is null ? "no PyTorch row" : "";
            o.WriteLine($"{r.Id,-4} {oursMs} {torchMs} {ratio} {og} {tg}  {note}");
        }
        o.WriteLine("ours/torch < 1 means we are faster. Measured back to back in this run; only ratios carry between runs.");
    }
}
