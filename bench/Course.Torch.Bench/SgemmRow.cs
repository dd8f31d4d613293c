using Course.Torch.Kernels;

namespace Course.Torch.Bench;

/// <summary>Rows a1/a2: C = A·B through <see cref="Gemm.Sgemm"/>, like torch.mm(A, B, out=C).</summary>
public sealed class SgemmRow(string id, string name, int m, int k, int n) : BenchRow
{
    public override string Id => id;
    public override string Name => name;
    public override double? Flops => 2.0 * m * k * n;

    public override Action CreateStep()
    {
        var rng = new Random(0);
        float[] a = BenchData.Normal(rng, m * k), b = BenchData.Normal(rng, k * n), c = new float[m * n];
        return () => Gemm.Sgemm(false, false, m, n, k, a, k, b, n, c, n, accumulate: false);
    }
}
