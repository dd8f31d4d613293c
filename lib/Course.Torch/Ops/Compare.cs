namespace Course.Torch;

public static partial class torch
{
    internal enum CmpOp { Gt, Lt, Ge, Le, Eq, Ne }

    public partial class Tensor
    {
        public Tensor gt(Tensor other) => Cmp.Run(this, other, CmpOp.Gt, "gt");
        public Tensor lt(Tensor other) => Cmp.Run(this, other, CmpOp.Lt, "lt");
        public Tensor ge(Tensor other) => Cmp.Run(this, other, CmpOp.Ge, "ge");
        public Tensor le(Tensor other) => Cmp.Run(this, other, CmpOp.Le, "le");
        public Tensor eq(Tensor other) => Cmp.Run(this, other, CmpOp.Eq, "eq");
        public Tensor ne(Tensor other) => Cmp.Run(this, other, CmpOp.Ne, "ne");
        public Tensor gt(double other) => Cmp.Scalar(this, other, CmpOp.Gt);
        public Tensor lt(double other) => Cmp.Scalar(this, other, CmpOp.Lt);
        public Tensor ge(double other) => Cmp.Scalar(this, other, CmpOp.Ge);
        public Tensor le(double other) => Cmp.Scalar(this, other, CmpOp.Le);
        public Tensor eq(double other) => Cmp.Scalar(this, other, CmpOp.Eq);
        public Tensor ne(double other) => Cmp.Scalar(this, other, CmpOp.Ne);
        public Tensor greater(Tensor other) => gt(other);
        public Tensor less(Tensor other) => lt(other);
        public Tensor greater_equal(Tensor other) => ge(other);
        public Tensor less_equal(Tensor other) => le(other);
        public Tensor not_equal(Tensor other) => ne(other);

        public static Tensor operator >(Tensor a, Tensor b) => a.gt(b);
        public static Tensor operator <(Tensor a, Tensor b) => a.lt(b);
        public static Tensor operator >=(Tensor a, Tensor b) => a.ge(b);
        public static Tensor operator <=(Tensor a, Tensor b) => a.le(b);
        public static Tensor operator >(Tensor a, double b) => a.gt(b);
        public static Tensor operator <(Tensor a, double b) => a.lt(b);
        public static Tensor operator >=(Tensor a, double b) => a.ge(b);
        public static Tensor operator <=(Tensor a, double b) => a.le(b);
        public static Tensor operator >(double a, Tensor b) => b.lt(a);
        public static Tensor operator <(double a, Tensor b) => b.gt(a);
        public static Tensor operator >=(double a, Tensor b) => b.le(a);
        public static Tensor operator <=(double a, Tensor b) => b.ge(a);

        public static Tensor operator &(Tensor a, Tensor b) => a.logical_and(b);
        public static Tensor operator |(Tensor a, Tensor b) => a.logical_or(b);
        public static Tensor operator ^(Tensor a, Tensor b) => a.logical_xor(b);
        public static Tensor operator ~(Tensor a) => a.logical_not();
        public static Tensor operator !(Tensor a) => a.logical_not();

        public Tensor logical_and(Tensor other) => Cmp.Logic(this, other, static (x, y) => x && y, "logical_and");
        public Tensor logical_or(Tensor other) => Cmp.Logic(this, other, static (x, y) => x || y, "logical_or");
        public Tensor logical_xor(Tensor other) => Cmp.Logic(this, other, static (x, y) => x ^ y, "logical_xor");
        public Tensor logical_not()
        {
            var b = Cmp.AsBool(this);
            var r = Empty(shp, ScalarType.Bool);
            var s = b.BSpan; var d = r.BSpan;
            for (int i = 0; i < d.Length; i++) d[i] = !s[i];
            return r;
        }
        public Tensor bitwise_and(Tensor other) => logical_and(other);
        public Tensor bitwise_or(Tensor other) => logical_or(other);
        public Tensor bitwise_not() => logical_not();

        public Tensor isnan() => Cmp.Pred(this, static v => float.IsNaN(v));
        public Tensor isinf() => Cmp.Pred(this, static v => float.IsInfinity(v));
        public Tensor isfinite() => Cmp.Pred(this, static v => float.IsFinite(v));

        /// <summary>True when shapes broadcast and |a - b| &lt;= atol + rtol * |b| everywhere (NaN never equal unless equal_nan).</summary>
        public bool allclose(Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false)
        {
            var shape = Shape.Broadcast(shp, other.shp, "allclose");
            var a = Strided.Expand(ContigF("allclose"), shape, "allclose");
            var b = Strided.Expand(other.ContigF("allclose"), shape, "allclose");
            var x = a.FSpan; var y = b.FSpan;
            for (int i = 0; i < x.Length; i++)
            {
                if (float.IsNaN(x[i]) || float.IsNaN(y[i])) { if (equal_nan && float.IsNaN(x[i]) && float.IsNaN(y[i])) continue; return false; }
                if (x[i] == y[i]) continue;
                if (Math.Abs(x[i] - (double)y[i]) > atol + rtol * Math.Abs((double)y[i])) return false;
            }
            return true;
        }

        /// <summary>Same shape and same values.</summary>
        public bool equal(Tensor other) => Shape.SameShape(shp, other.shp) && (count == 0 || eq(other).all().item<bool>());
    }

    public static Tensor gt(Tensor a, Tensor b) => a.gt(b);
    public static Tensor lt(Tensor a, Tensor b) => a.lt(b);
    public static Tensor ge(Tensor a, Tensor b) => a.ge(b);
    public static Tensor le(Tensor a, Tensor b) => a.le(b);
    public static Tensor eq(Tensor a, Tensor b) => a.eq(b);
    public static Tensor ne(Tensor a, Tensor b) => a.ne(b);
    public static Tensor logical_and(Tensor a, Tensor b) => a.logical_and(b);
    public static Tensor logical_or(Tensor a, Tensor b) => a.logical_or(b);
    public static Tensor logical_not(Tensor a) => a.logical_not();
    public static Tensor isnan(Tensor a) => a.isnan();
    public static Tensor isinf(Tensor a) => a.isinf();
    public static Tensor isfinite(Tensor a) => a.isfinite();
    public static bool allclose(Tensor a, Tensor b, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false) => a.allclose(b, rtol, atol, equal_nan);
    public static bool equal(Tensor a, Tensor b) => a.equal(b);
}

/// <summary>Comparison and logic kernels (results are Bool tensors, never differentiable).</summary>
internal static class Cmp
{
    public static torch.Tensor Run(torch.Tensor a, torch.Tensor b, torch.CmpOp op, string name)
    {
        var shape = Shape.Broadcast(a.shp, b.shp, name);
        var r = torch.Tensor.Empty(shape, torch.ScalarType.Bool);
        var d = r.BSpan;
        if (a.dt == torch.ScalarType.Float32 || b.dt == torch.ScalarType.Float32)
        {
            var x = Full(a.ContigF(name), shape, name).FSpan; var y = Full(b.ContigF(name), shape, name).FSpan;
            for (int i = 0; i < d.Length; i++) d[i] = Test(op, x[i].CompareTo(y[i]), float.IsNaN(x[i]) || float.IsNaN(y[i]));
        }
        else
        {
            var x = Full(AsLong(a), shape, name).LSpan; var y = Full(AsLong(b), shape, name).LSpan;
            for (int i = 0; i < d.Length; i++) d[i] = Test(op, x[i].CompareTo(y[i]), false);
        }
        return r;
    }

    public static torch.Tensor Scalar(torch.Tensor a, double s, torch.CmpOp op)
    {
        var r = torch.Tensor.Empty(a.shp, torch.ScalarType.Bool);
        var d = r.BSpan;
        if (a.dt == torch.ScalarType.Float32)
        {
            var x = a.ContigF("compare").FSpan; float f = (float)s;
            switch (op)
            {
                case torch.CmpOp.Gt: for (int i = 0; i < d.Length; i++) d[i] = x[i] > f; break;
                case torch.CmpOp.Lt: for (int i = 0; i < d.Length; i++) d[i] = x[i] < f; break;
                case torch.CmpOp.Ge: for (int i = 0; i < d.Length; i++) d[i] = x[i] >= f; break;
                case torch.CmpOp.Le: for (int i = 0; i < d.Length; i++) d[i] = x[i] <= f; break;
                case torch.CmpOp.Eq: for (int i = 0; i < d.Length; i++) d[i] = x[i] == f; break;
                default: for (int i = 0; i < d.Length; i++) d[i] = x[i] != f; break;
            }
        }
        else
        {
            var x = AsLong(a).LSpan;
            for (int i = 0; i < d.Length; i++) d[i] = Test(op, ((double)x[i]).CompareTo(s), false);
        }
        return r;
    }

    static bool Test(torch.CmpOp op, int c, bool nan) => nan ? op == torch.CmpOp.Ne : op switch
    {
        torch.CmpOp.Gt => c > 0, torch.CmpOp.Lt => c < 0, torch.CmpOp.Ge => c >= 0,
        torch.CmpOp.Le => c <= 0, torch.CmpOp.Eq => c == 0, _ => c != 0,
    };

    static torch.Tensor Full(torch.Tensor t, int[] shape, string name) => Shape.SameShape(t.shp, shape) && t.contig ? t : Strided.Expand(t, shape, name);

    static torch.Tensor AsLong(torch.Tensor t) => t.dt == torch.ScalarType.Int64 ? (t.contig ? t : Strided.Contiguous(t)) : Strided.Convert(t, torch.ScalarType.Int64);

    public static torch.Tensor AsBool(torch.Tensor t) => t.dt == torch.ScalarType.Bool ? (t.contig ? t : Strided.Contiguous(t)) : Strided.Convert(t, torch.ScalarType.Bool);

    public static torch.Tensor Logic(torch.Tensor a, torch.Tensor b, Func<bool, bool, bool> f, string name)
    {
        var shape = Shape.Broadcast(a.shp, b.shp, name);
        var x = Full(AsBool(a), shape, name).BSpan; var y = Full(AsBool(b), shape, name).BSpan;
        var r = torch.Tensor.Empty(shape, torch.ScalarType.Bool);
        var d = r.BSpan;
        for (int i = 0; i < d.Length; i++) d[i] = f(x[i], y[i]);
        return r;
    }

    public static torch.Tensor Pred(torch.Tensor a, Func<float, bool> f)
    {
        var r = torch.Tensor.Empty(a.shp, torch.ScalarType.Bool);
        if (a.dt != torch.ScalarType.Float32) { r.BSpan.Fill(f(0)); return r; }
        var x = a.ContigF("isfinite").FSpan; var d = r.BSpan;
        for (int i = 0; i < d.Length; i++) d[i] = f(x[i]);
        return r;
    }
}
