namespace Course.Bench;

/// <summary>The workloads of pytorch_reference.py in its order, then the per-op dispatch row.</summary>
public static class BenchRegistry
{
    public static IReadOnlyList<BenchRow> All { get; } =
    [
        new SgemmRow("a1", "a1 sgemm 1024x1024x1024", 1024, 1024, 1024),
        new SgemmRow("a2", "a2 sgemm 256x784 @ 784x256", 256, 784, 256),
        new VaeRow(),
        new PixelCnnRow(),
        new GanRow(),
        new DdpmRow(),
        new RealNvpRow(),
        new ConvForwardRow(),
        new DispatchRow(),
    ];

    /// <summary>Rows whose id is listed, in registry order; all rows when the list is empty.</summary>
    public static IReadOnlyList<BenchRow> Select(IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0) return All;
        var unknown = ids.Where(id => All.All(r => r.Id != id)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown row(s) {string.Join(", ", unknown)}; rows are {string.Join(", ", All.Select(r => r.Id))}");
        return All.Where(r => ids.Contains(r.Id)).ToList();
    }
}
