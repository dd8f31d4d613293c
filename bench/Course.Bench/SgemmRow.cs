namespace Course.Bench;

/// <summary>
/// Rows a1/a2 (information, no target): C = A·B through libtorch's GEMM. TorchSharp has no out= overload of mm, so
/// C.addmm_(A, B, beta: 0) stands in for torch.mm(A, B, out=C): the same product into the same buffer.
/// </summary>
public sealed class SgemmRow(string id, string name, int m, int k, int n) : BenchRow
{
    public override string Id => id;
    public override string Name => name;
    public override double? Flops => 2.0 * m * k * n;
    public override double? Target => null;

    public override BenchStep CreateStep()
    {
        manual_seed(0);
        var a = randn(m, k);
        var b = randn(k, n);
        var c = empty(m, n);
        return new BenchStep(() => c.addmm_(a, b, beta: 0, alpha: 1), a, b, c);
    }
}
