namespace Course.Torch;

/// <summary>Splits large elementwise work across cores; small work runs inline (threads cost more than they save).</summary>
internal static class Par
{
    public const int Threshold = 1 << 16;
    static readonly int Cores = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Runs body(start, length) over [0, n), in parallel chunks when n is large.</summary>
    public static void For(int n, Action<int, int> body)
    {
        if (n <= Threshold || Cores == 1) { body(0, n); return; }
        int chunks = Cores;
        int per = (n + chunks - 1) / chunks;
        per = (per + 63) & ~63; // keep chunks vector-aligned
        WorkerPool.For(chunks, chunks, c =>
        {
            int s = c * per, len = Math.Min(per, n - s);
            if (len > 0) body(s, len);
        });
    }
}
