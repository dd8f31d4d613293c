using System.Numerics.Tensors;

namespace Course.Torch;

using static torch;

internal enum BinOp { Add, Sub, Mul, Div, Pow, Max, Min, Rem }

/// <summary>
/// Forward kernels of broadcasting binary ops. Float32 fast paths: same shape, scalar on either side,
/// suffix broadcast (bias rows: [B,N] op [N]), prefix broadcast ([B,N] op [B,1]); otherwise both sides are
/// materialised at the output shape. Int64/Bool operands are computed in Int64 (Div promotes to Float32).
/// </summary>
internal static class Binary
{
    public static Tensor Forward(Tensor a, Tensor b, BinOp op, string name)
    {
        var dtA = a.dt; var dtB = b.dt;
        if (dtA == ScalarType.Float32 && dtB == ScalarType.Float32) return Float(a, b, op, name);
        if (dtA == ScalarType.Float32 || dtB == ScalarType.Float32 || op == BinOp.Div || op == BinOp.Pow)
            return Float(a.ContigF(name), b.ContigF(name), op, name);
        return Long(a, b, op, name);
    }

    static Tensor Float(Tensor a, Tensor b, BinOp op, string name)
    {
        var outShape = Shape.Broadcast(a.shp, b.shp, name);
        bool aFull = Shape.SameShape(a.shp, outShape), bFull = Shape.SameShape(b.shp, outShape);
        if (aFull && b.count == 1) return ScalarRight(a, Scalar(b), op);
        if (bFull && a.count == 1) return ScalarLeft(Scalar(a), b, op);
        var r = Tensor.Empty(outShape);
        if (aFull && bFull)
        {
            var ca = a.contig ? a : Strided.Contiguous(a);
            var cb = b.contig ? b : Strided.Contiguous(b);
            SameShape(op, ca, cb, r);
            return r;
        }
        if (aFull && b.contig)
        {
            var ca = a.contig ? a : Strided.Contiguous(a);
            if (IsSuffix(b.shp, outShape)) { Rows(op, ca.FSpan, b.FSpan, r.FSpan, rhsIsRow: true); return r; }
            if (IsPrefix(b.shp, outShape)) { Cols(op, ca.FSpan, b.FSpan, r.FSpan, rhsIsCol: true); return r; }
        }
        if (bFull && a.contig)
        {
            var cb = b.contig ? b : Strided.Contiguous(b);
            if (IsSuffix(a.shp, outShape)) { Rows(op, cb.FSpan, a.FSpan, r.FSpan, rhsIsRow: false); return r; }
            if (IsPrefix(a.shp, outShape)) { Cols(op, cb.FSpan, a.FSpan, r.FSpan, rhsIsCol: false); return r; }
        }
        if (a.contig && b.contig && a.count > 0 && b.count > 0 && (long)a.count * b.count == r.count)
        {
            // Outer-product shapes ([B,1] op [1,N]): one side indexes rows, the other is the row pattern.
            if (IsPrefix(a.shp, outShape) && IsSuffix(b.shp, outShape)) { Outer(op, a.FSpan, b.FSpan, r.FSpan, rowsFromLeft: true); return r; }
            if (IsPrefix(b.shp, outShape) && IsSuffix(a.shp, outShape)) { Outer(op, b.FSpan, a.FSpan, r.FSpan, rowsFromLeft: false); return r; }
        }
        var ea = aFull && a.contig ? a : Strided.Expand(a, outShape, name);
        var eb = bFull && b.contig ? b : Strided.Expand(b, outShape, name);
        SameShape(op, ea, eb, r);
        return r;
    }

    static float Scalar(Tensor t) => t.storage.F![t.offset];

    /// <summary>t's shape, without leading ones, equals the trailing dims of outShape.</summary>
    static bool IsSuffix(int[] s, int[] outShape)
    {
        int i = 0; while (i < s.Length && s[i] == 1) i++;
        int len = s.Length - i, off = outShape.Length - len;
        if (off < 0) return false;
        for (int j = 0; j < len; j++) if (s[i + j] != outShape[off + j]) return false;
        return true;
    }

    /// <summary>t's shape (rank-aligned), without trailing ones, equals the leading dims of outShape.</summary>
    static bool IsPrefix(int[] s, int[] outShape)
    {
        if (s.Length != outShape.Length) return false;
        int end = s.Length; while (end > 0 && s[end - 1] == 1) end--;
        for (int j = 0; j < end; j++) if (s[j] != outShape[j]) return false;
        return true;
    }

    public static Tensor ScalarRight(Tensor a, float s, BinOp op)
    {
        var ca = a.contig ? a : Strided.Contiguous(a);
        var r = Tensor.Empty(a.shp);
        if (r.count <= Par.Threshold) ScalarR(op, ca.FSpan, s, r.FSpan);
        else ParScalarR(op, ca, s, r);
        return r;
    }

    static void ParScalarR(BinOp op, Tensor ca, float s, Tensor r)
        => Par.For(r.count, (st, len) => ScalarR(op, ca.FSpan.Slice(st, len), s, r.FSpan.Slice(st, len)));

    static void ParScalarL(BinOp op, float s, Tensor cb, Tensor r)
        => Par.For(r.count, (st, len) => ScalarL(op, s, cb.FSpan.Slice(st, len), r.FSpan.Slice(st, len)));

    public static Tensor ScalarLeft(float s, Tensor b, BinOp op)
    {
        var cb = b.contig ? b : Strided.Contiguous(b);
        var r = Tensor.Empty(b.shp);
        if (r.count <= Par.Threshold) ScalarL(op, s, cb.FSpan, r.FSpan);
        else ParScalarL(op, s, cb, r);
        return r;
    }

    static void SameShape(BinOp op, Tensor a, Tensor b, Tensor r)
    {
        if (r.count <= Par.Threshold) { Apply(op, a.FSpan, b.FSpan, r.FSpan); return; }
        ParSame(op, a, b, r);
    }

    static void ParSame(BinOp op, Tensor a, Tensor b, Tensor r)
    {
        Par.For(r.count, (st, len) => Apply(op, a.FSpan.Slice(st, len), b.FSpan.Slice(st, len), r.FSpan.Slice(st, len)));
    }

    /// <summary>full op row (row repeats along full) or row op full.</summary>
    static void Rows(BinOp op, Span<float> full, Span<float> row, Span<float> dst, bool rhsIsRow)
    {
        int n = row.Length;
        for (int o = 0; o < full.Length; o += n)
        {
            if (rhsIsRow) Apply(op, full.Slice(o, n), row, dst.Slice(o, n));
            else Apply(op, row, full.Slice(o, n), dst.Slice(o, n));
        }
    }

    /// <summary>full op col (each col element applies to one contiguous chunk) or col op full.</summary>
    static void Cols(BinOp op, Span<float> full, Span<float> col, Span<float> dst, bool rhsIsCol)
    {
        int chunk = full.Length / Math.Max(col.Length, 1);
        for (int i = 0; i < col.Length; i++)
        {
            var f = full.Slice(i * chunk, chunk); var d = dst.Slice(i * chunk, chunk);
            if (rhsIsCol) ScalarR(op, f, col[i], d); else ScalarL(op, col[i], f, d);
        }
    }

    /// <summary>dst[i, :] = col[i] op row (rowsFromLeft) or row op col[i].</summary>
    static void Outer(BinOp op, Span<float> col, Span<float> row, Span<float> dst, bool rowsFromLeft)
    {
        int n = row.Length;
        for (int i = 0; i < col.Length; i++)
        {
            var d = dst.Slice(i * n, n);
            if (rowsFromLeft) ScalarL(op, col[i], row, d); else ScalarR(op, row, col[i], d);
        }
    }

    public static void Apply(BinOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (op)
        {
            case BinOp.Add: TensorPrimitives.Add(x, y, d); break;
            case BinOp.Sub: TensorPrimitives.Subtract(x, y, d); break;
            case BinOp.Mul: TensorPrimitives.Multiply(x, y, d); break;
            case BinOp.Div: TensorPrimitives.Divide(x, y, d); break;
            case BinOp.Pow: TensorPrimitives.Pow(x, y, d); break;
            case BinOp.Max: TensorPrimitives.Max(x, y, d); break;
            case BinOp.Min: TensorPrimitives.Min(x, y, d); break;
            case BinOp.Rem: for (int i = 0; i < d.Length; i++) d[i] = PyRem(x[i], y[i]); break;
        }
    }

    public static void ScalarR(BinOp op, ReadOnlySpan<float> x, float s, Span<float> d)
    {
        switch (op)
        {
            case BinOp.Add: TensorPrimitives.Add(x, s, d); break;
            case BinOp.Sub: TensorPrimitives.Subtract(x, s, d); break;
            case BinOp.Mul: TensorPrimitives.Multiply(x, s, d); break;
            case BinOp.Div: TensorPrimitives.Divide(x, s, d); break;
            case BinOp.Pow:
                if (s == 2f) TensorPrimitives.Multiply(x, x, d);
                else if (s == 1f) x.CopyTo(d);
                else if (s == 0.5f) TensorPrimitives.Sqrt(x, d);
                else TensorPrimitives.Pow(x, s, d);
                break;
            case BinOp.Max: TensorPrimitives.Max(x, s, d); break;
            case BinOp.Min: TensorPrimitives.Min(x, s, d); break;
            case BinOp.Rem: for (int i = 0; i < d.Length; i++) d[i] = PyRem(x[i], s); break;
        }
    }

    public static void ScalarL(BinOp op, float s, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (op)
        {
            case BinOp.Add: TensorPrimitives.Add(y, s, d); break;
            case BinOp.Sub: TensorPrimitives.Subtract(s, y, d); break;
            case BinOp.Mul: TensorPrimitives.Multiply(y, s, d); break;
            case BinOp.Div: TensorPrimitives.Divide(s, y, d); break;
            case BinOp.Pow: TensorPrimitives.Pow(s, y, d); break;
            case BinOp.Max: TensorPrimitives.Max(y, s, d); break;
            case BinOp.Min: TensorPrimitives.Min(y, s, d); break;
            case BinOp.Rem: for (int i = 0; i < d.Length; i++) d[i] = PyRem(s, y[i]); break;
        }
    }

    /// <summary>Python/PyTorch remainder: the result has the sign of the divisor.</summary>
    static float PyRem(float a, float b) { float r = a % b; return r != 0 && (r < 0) != (b < 0) ? r + b : r; }
    static long PyRem(long a, long b) { long r = a % b; return r != 0 && (r < 0) != (b < 0) ? r + b : r; }

    static Tensor Long(Tensor a, Tensor b, BinOp op, string name)
    {
        var outShape = Shape.Broadcast(a.shp, b.shp, name);
        var ea = ToLong(a, outShape, name); var eb = ToLong(b, outShape, name);
        var r = Tensor.Empty(outShape, ScalarType.Int64);
        var x = ea.LSpan; var y = eb.LSpan; var d = r.LSpan;
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = op switch
            {
                BinOp.Add => x[i] + y[i],
                BinOp.Sub => x[i] - y[i],
                BinOp.Mul => x[i] * y[i],
                BinOp.Max => Math.Max(x[i], y[i]),
                BinOp.Min => Math.Min(x[i], y[i]),
                BinOp.Rem => y[i] == 0 ? throw new DivideByZeroException($"{name}: integer remainder by zero") : PyRem(x[i], y[i]),
                _ => throw new NotSupportedException($"{name}: not supported for Int64 tensors."),
            };
        }
        return r;
    }

    static Tensor ToLong(Tensor t, int[] shape, string name)
    {
        var l = t.dt == ScalarType.Int64 ? t : Strided.Convert(t, ScalarType.Int64);
        return Shape.SameShape(l.shp, shape) && l.contig ? l : Strided.Expand(l, shape, name);
    }
}
