namespace Course.Torch;

public static partial class torch
{
    /// <summary>Small dense linear algebra on the last two dims (LU with partial pivoting, in double).</summary>
    public static partial class linalg
    {
        /// <summary>Determinant of square matrices [..., n, n]; gradient det * A^-T.</summary>
        public static Tensor det(Tensor a)
        {
            var (sign, logabs) = Lu(a, "det");
            var r = Tensor.Empty(Batch(a));
            var rs = r.FSpan;
            for (int i = 0; i < rs.Length; i++) rs[i] = (float)(sign[i] * Math.Exp(logabs[i]));
            if (Autograd.Needs(a))
                Autograd.Record("det", r, a, g => (g * r).unsqueeze(-1).unsqueeze(-1) * inv(a.detach()).mT).Save(a);
            return r;
        }

        /// <summary>(sign, log|det|) of square matrices; the gradient of log|det| is A^-T.</summary>
        public static (Tensor sign, Tensor logabsdet) slogdet(Tensor a)
        {
            var (sign, logabs) = Lu(a, "slogdet");
            var s = Tensor.Empty(Batch(a)); var l = Tensor.Empty(Batch(a));
            for (int i = 0; i < sign.Length; i++) { s.FSpan[i] = (float)sign[i]; l.FSpan[i] = (float)logabs[i]; }
            if (Autograd.Needs(a))
                Autograd.Record("slogdet", l, a, g => g.unsqueeze(-1).unsqueeze(-1) * inv(a.detach()).mT).Save(a);
            return (s, l);
        }

        /// <summary>Inverse of square matrices; gradient -A^-T g A^-T.</summary>
        public static Tensor inv(Tensor a)
        {
            var (n, batch) = Check(a, "inv");
            var c = a.ContigF("inv");
            var r = Tensor.Empty(a.shp);
            var src = c.FSpan; var dst = r.FSpan;
            var m = new double[n, 2 * n];
            for (int b = 0; b < batch; b++)
            {
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < 2 * n; j++) m[i, j] = j < n ? src[b * n * n + i * n + j] : (j - n == i ? 1 : 0);
                for (int col = 0; col < n; col++)
                {
                    int p = col;
                    for (int i = col + 1; i < n; i++) if (Math.Abs(m[i, col]) > Math.Abs(m[p, col])) p = i;
                    if (m[p, col] == 0) throw new ArgumentException($"inv: matrix {b} of shape {a.ShapeStr} is singular.");
                    if (p != col) for (int j = 0; j < 2 * n; j++) (m[p, j], m[col, j]) = (m[col, j], m[p, j]);
                    double piv = m[col, col];
                    for (int j = 0; j < 2 * n; j++) m[col, j] /= piv;
                    for (int i = 0; i < n; i++)
                    {
                        if (i == col || m[i, col] == 0) continue;
                        double f = m[i, col];
                        for (int j = 0; j < 2 * n; j++) m[i, j] -= f * m[col, j];
                    }
                }
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) dst[b * n * n + i * n + j] = (float)m[i, n + j];
            }
            if (Autograd.Needs(a))
                Autograd.Record("inv", r, a, g => -(r.mT.matmul(g).matmul(r.mT))).Save(r);
            return r;
        }

        static (int n, int batch) Check(Tensor a, string op)
        {
            if (a.shp.Length < 2 || a.shp[^1] != a.shp[^2]) throw new ArgumentException($"linalg.{op}: expected square matrices [..., n, n], got shape {a.ShapeStr}.");
            return (a.shp[^1], a.count / Math.Max(a.shp[^1] * a.shp[^1], 1));
        }

        static int[] Batch(Tensor a) => a.shp[..^2];

        static (double[] sign, double[] logabs) Lu(Tensor a, string op)
        {
            var (n, batch) = Check(a, op);
            var c = a.ContigF(op).FSpan;
            var sign = new double[batch]; var logabs = new double[batch];
            var m = new double[n, n];
            for (int b = 0; b < batch; b++)
            {
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i, j] = c[b * n * n + i * n + j];
                double s = 1, la = 0;
                for (int col = 0; col < n; col++)
                {
                    int p = col;
                    for (int i = col + 1; i < n; i++) if (Math.Abs(m[i, col]) > Math.Abs(m[p, col])) p = i;
                    if (m[p, col] == 0) { s = 0; la = double.NegativeInfinity; break; }
                    if (p != col) { for (int j = 0; j < n; j++) (m[p, j], m[col, j]) = (m[col, j], m[p, j]); s = -s; }
                    double piv = m[col, col];
                    if (piv < 0) s = -s;
                    la += Math.Log(Math.Abs(piv));
                    for (int i = col + 1; i < n; i++)
                    {
                        double f = m[i, col] / piv;
                        for (int j = col; j < n; j++) m[i, j] -= f * m[col, j];
                    }
                }
                sign[b] = s; logabs[b] = la;
            }
            return (sign, logabs);
        }
    }

    public static Tensor det(Tensor a) => linalg.det(a);
    public static Tensor inverse(Tensor a) => linalg.inv(a);
    public static (Tensor sign, Tensor logabsdet) slogdet(Tensor a) => linalg.slogdet(a);
}
