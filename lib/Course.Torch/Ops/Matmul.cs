using Course.Torch.Kernels;

namespace Course.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>2-D matrix product [m,k] x [k,n]. Transposed views go to the GEMM as flags (no copy).</summary>
        public Tensor mm(Tensor other)
        {
            if (shp.Length != 2 || other.shp.Length != 2 || shp[1] != other.shp[0])
                throw new ArgumentException($"mm: shapes {ShapeStr} and {other.ShapeStr} cannot be multiplied (expected [m, k] and [k, n]).");
            CheckFloat("mm"); other.CheckFloat("mm");
            var r = Empty([shp[0], other.shp[1]]);
            MatMul.Gemm2D(this, 0, other, 0, r, 0, shp[0], other.shp[1], shp[1], stv, other.stv, false);
            if (Autograd.Needs(this, other))
            {
                var a = this; var b = other;
                Autograd.Record("mm", r, a, g => g.mm(b.t()), b, g => a.t().mm(g)).Save(a).Save(b);
            }
            return r;
        }

        /// <summary>Batched [B,m,k] x [B,k,n].</summary>
        public Tensor bmm(Tensor other)
        {
            if (shp.Length != 3 || other.shp.Length != 3 || shp[0] != other.shp[0] || shp[2] != other.shp[1])
                throw new ArgumentException($"bmm: shapes {ShapeStr} and {other.ShapeStr} cannot be multiplied (expected [b, m, k] and [b, k, n]).");
            return MatMul.Batched(this, other, "bmm");
        }

        /// <summary>PyTorch matmul: dot, matrix-vector, matrix-matrix, and batched with broadcast batch dims.</summary>
        public Tensor matmul(Tensor other)
        {
            int ra = shp.Length, rb = other.shp.Length;
            if (ra == 0 || rb == 0) throw new ArgumentException($"matmul: both arguments need at least 1 dim, got shapes {ShapeStr} and {other.ShapeStr}.");
            if (ra == 1 && rb == 1)
            {
                if (shp[0] != other.shp[0]) throw new ArgumentException($"matmul: shapes {ShapeStr} and {other.ShapeStr} cannot be multiplied.");
                return (this * other).sum();
            }
            // Check the inner dims here so the error names matmul and the caller's shapes, not an internal mm.
            int ka = shp[^1], kb = rb == 1 ? other.shp[0] : other.shp[^2];
            if (ka != kb)
                throw new ArgumentException($"matmul: shapes {ShapeStr} and {other.ShapeStr} cannot be multiplied (inner dims {ka} and {kb} differ).");
            if (ra == 2 && rb == 2) return mm(other);
            if (ra == 1) return unsqueeze(0).matmul(other).squeeze(-2);
            if (rb == 1) return matmul(other.unsqueeze(1)).squeeze(-1);
            if (rb == 2 && contig)
            {
                // [..., m, k] x [k, n]: one GEMM over all rows.
                if (shp[^1] != other.shp[0]) throw new ArgumentException($"matmul: shapes {ShapeStr} and {other.ShapeStr} cannot be multiplied (inner dims {shp[^1]} and {other.shp[0]}).");
                var outShape = (long[])shape.Clone(); outShape[^1] = other.shp[1];
                return reshape(-1, shp[^1]).mm(other).reshape(outShape);
            }
            return MatMul.Batched(this, other, "matmul");
        }

        public Tensor dot(Tensor other) => matmul(other);
        public Tensor outer(Tensor other) => unsqueeze(1) * other.unsqueeze(0);
    }

    public static Tensor mm(Tensor a, Tensor b) => a.mm(b);
    public static Tensor bmm(Tensor a, Tensor b) => a.bmm(b);
    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
    public static Tensor dot(Tensor a, Tensor b) => a.dot(b);
    public static Tensor outer(Tensor a, Tensor b) => a.outer(b);
    public static Tensor addmm(Tensor input, Tensor a, Tensor b, double beta = 1, double alpha = 1)
        => (beta == 1 ? input : input * beta) + (alpha == 1 ? a.mm(b) : a.mm(b) * alpha);
}

/// <summary>Feeds strided matrices to <see cref="Gemm.Sgemm"/>: row-major or transposed layouts pass as is.</summary>
internal static class MatMul
{
    /// <summary>How a [rows, cols] matrix with the given strides reads as a GEMM operand, or null if it needs a copy.</summary>
    static (bool trans, int ld)? Layout(int rows, int cols, int s0, int s1)
    {
        if ((s1 == 1 || cols == 1) && (s0 >= cols || rows == 1)) return (false, rows == 1 ? Math.Max(cols, 1) : s0);
        if ((s0 == 1 || rows == 1) && (s1 >= rows || cols == 1)) return (true, cols == 1 ? Math.Max(rows, 1) : s1);
        return null;
    }

    /// <summary>C[m,n] = A[m,k] B[k,n] for matrices at the given offsets with 2-D strides sa, sb (last two dims).</summary>
    public static void Gemm2D(torch.Tensor a, int aOff, torch.Tensor b, int bOff, torch.Tensor c, int cOff, int m, int n, int k,
        int[] sa, int[] sb, bool accumulate)
        => Gemm2D(a, aOff, b, bOff, c, cOff, m, n, k, sa, sb, accumulate, default, false);

    /// <summary>As above, then (when bias is not empty or relu) C = A B + bias rows, relu in place, fused per block of C.</summary>
    public static void Gemm2D(torch.Tensor a, int aOff, torch.Tensor b, int bOff, torch.Tensor c, int cOff, int m, int n, int k,
        int[] sa, int[] sb, bool accumulate, ReadOnlySpan<float> bias, bool relu, ReadOnlySpan<float> mask = default)
    {
        bool fused = !bias.IsEmpty || relu || !mask.IsEmpty;
        if (fused && accumulate) throw new ArgumentException("Gemm2D: a bias or relu epilogue cannot accumulate onto C");
        var la = Layout(m, k, sa[^2], sa[^1]);
        var lb = Layout(k, n, sb[^2], sb[^1]);
        float[] af = a.storage.F!, bf = b.storage.F!;
        int ao = a.offset + aOff, bo = b.offset + bOff;
        (bool trans, int ld) pa, pb;
        if (la is null)
        {
            var tmp = torch.Tensor.Empty([m, k]);
            Strided.Copy(af, ao, [sa[^2], sa[^1]], tmp.storage.F!, 0, [k, 1], [m, k]);
            af = tmp.storage.F!; ao = 0; pa = (false, k);
        }
        else pa = la.Value;
        if (lb is null)
        {
            var tmp = torch.Tensor.Empty([k, n]);
            Strided.Copy(bf, bo, [sb[^2], sb[^1]], tmp.storage.F!, 0, [n, 1], [k, n]);
            bf = tmp.storage.F!; bo = 0; pb = (false, n);
        }
        else pb = lb.Value;
        if (m == 0 || n == 0) return;
        if (k == 0 && !fused) { if (!accumulate) c.storage.F.AsSpan(c.offset + cOff, m * n).Clear(); return; }
        int aLen = k == 0 ? 0 : pa.trans ? (k - 1) * pa.ld + m : (m - 1) * pa.ld + k;
        int bLen = k == 0 ? 0 : pb.trans ? (n - 1) * pb.ld + k : (k - 1) * pb.ld + n;
        if (fused)
        {
            Gemm.SgemmBiasRelu(pa.trans, pb.trans, m, n, k,
                new ReadOnlySpan<float>(af, ao, aLen), pa.ld,
                new ReadOnlySpan<float>(bf, bo, bLen), pb.ld,
                new Span<float>(c.storage.F, c.offset + cOff, m * n), n, bias, relu, GemmIsas.Best, Gemm.MaxThreads, mask);
            return;
        }
        Gemm.Sgemm(pa.trans, pb.trans, m, n, k,
            new ReadOnlySpan<float>(af, ao, aLen), pa.ld,
            new ReadOnlySpan<float>(bf, bo, bLen), pb.ld,
            new Span<float>(c.storage.F, c.offset + cOff, m * n), n, accumulate);
    }

    /// <summary>[..., m, k] x [..., k, n] with broadcast batch dims.</summary>
    public static torch.Tensor Batched(torch.Tensor a, torch.Tensor b, string op)
    {
        a.CheckFloat(op); b.CheckFloat(op);
        int m = a.shp[^2], k = a.shp[^1], n = b.shp[^1];
        if (b.shp[^2] != k) throw new ArgumentException($"{op}: shapes {a.ShapeStr} and {b.ShapeStr} cannot be multiplied (inner dims {k} and {b.shp[^2]}).");
        var ba = a.shp[..^2]; var bb = b.shp[..^2];
        int[] batch;
        try { batch = Shape.Broadcast(ba, bb, op); }
        catch (ArgumentException) { throw new ArgumentException($"{op}: batch dims of shapes {a.ShapeStr} and {b.ShapeStr} cannot broadcast."); }
        var sa = Shape.BroadcastStrides(ba, a.stv[..^2], batch, op);
        var sb = Shape.BroadcastStrides(bb, b.stv[..^2], batch, op);
        var outShape = batch.Concat(new[] { m, n }).ToArray();
        var r = torch.Tensor.Empty(outShape);
        int nb = Shape.Numel(batch);
        var idx = new int[batch.Length];
        int oa = 0, ob = 0;
        for (int i = 0; i < nb; i++)
        {
            Gemm2D(a, oa, b, ob, r, i * m * n, m, n, k, a.stv, b.stv, false);
            for (int d = batch.Length - 1; d >= 0; d--)
            {
                idx[d]++; oa += sa[d]; ob += sb[d];
                if (idx[d] < batch[d]) break;
                oa -= sa[d] * batch[d]; ob -= sb[d] * batch[d]; idx[d] = 0;
            }
        }
        if (Autograd.Needs(a, b))
        {
            var sha = a.shp; var shb = b.shp;
            Autograd.Record(op, r, a, g => Reduce.SumTo(Batched(g, b.mT, op), sha), b, g => Reduce.SumTo(Batched(a.mT, g, op), shb)).Save(a).Save(b);
        }
        return r;
    }
}
