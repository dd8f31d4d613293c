namespace Course.Torch;

public static partial class torch
{
    /// <summary>Concatenates along an existing dim. Shapes must match except in dim.</summary>
    public static Tensor cat(IList<Tensor> tensors, long dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("cat: expected a non-empty list of tensors.");
        var first = tensors[0];
        int rank = first.shp.Length;
        int d = Shape.Dim(dim, rank, "cat");
        var dtype = first.dt;
        int total = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            if (t.dt != dtype) dtype = ScalarType.Float32;
            bool ok = t.shp.Length == rank;
            for (int k = 0; ok && k < rank; k++) if (k != d && t.shp[k] != first.shp[k]) ok = false;
            if (!ok) throw new ArgumentException($"cat: tensor {i} has shape {t.ShapeStr}, which does not match {first.ShapeStr} outside dim {d}.");
            total += t.shp[d];
        }
        var outShape = (int[])first.shp.Clone(); outShape[d] = total;
        var r = Tensor.Empty(outShape, dtype);
        int off = 0;
        var offsets = new int[tensors.Count];
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i].dt == dtype ? tensors[i] : tensors[i].to(dtype);
            offsets[i] = off;
            Strided.CopyInto(t, t.stv, r.storage, off * r.stv[d], r.stv, t.shp);
            off += t.shp[d];
        }
        bool any = false;
        foreach (var t in tensors) any |= t.needsGrad;
        if (any && GradMode.Enabled)
        {
            var ins = new Tensor?[tensors.Count]; var gs = new Func<Tensor, Tensor>?[tensors.Count];
            for (int i = 0; i < ins.Length; i++)
            {
                int o = offsets[i], len = tensors[i].shp[d];
                ins[i] = tensors[i];
                gs[i] = g => g.narrow(d, o, len);
            }
            Autograd.RecordN("cat", r, ins, gs);
        }
        return r;
    }

    public static Tensor concat(IList<Tensor> tensors, long dim = 0) => cat(tensors, dim);
    public static Tensor hstack(IList<Tensor> tensors) => cat(tensors, tensors[0].shp.Length == 1 ? 0 : 1);
    public static Tensor vstack(IList<Tensor> tensors) => cat(tensors.Select(t => t.shp.Length == 1 ? t.unsqueeze(0) : t).ToList(), 0);

    /// <summary>Stacks equal-shaped tensors along a new dim.</summary>
    public static Tensor stack(IEnumerable<Tensor> tensors, long dim = 0)
    {
        var list = tensors as IList<Tensor> ?? tensors.ToList();
        if (list.Count == 0) throw new ArgumentException("stack: expected a non-empty list of tensors.");
        for (int i = 1; i < list.Count; i++)
            if (!Shape.SameShape(list[i].shp, list[0].shp)) throw new ArgumentException($"stack: tensor {i} has shape {list[i].ShapeStr}, expected {list[0].ShapeStr} like tensor 0.");
        int d = Shape.Dim(dim, list[0].shp.Length + 1, "stack");
        var parts = new Tensor[list.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = list[i].unsqueeze(d);
        return cat(parts, d);
    }

    /// <summary>Elementwise choice: condition ? x : y, broadcasting all three.</summary>
    public static Tensor where(Tensor condition, Tensor x, Tensor y)
    {
        var shape = Shape.Broadcast(Shape.Broadcast(condition.shp, x.shp, "where"), y.shp, "where");
        var c = Strided.Expand(Cmp.AsBool(condition), shape, "where");
        var dtype = x.dt == ScalarType.Float32 || y.dt == ScalarType.Float32 ? ScalarType.Float32 : x.dt;
        var ex = Strided.Expand(x.to(dtype), shape, "where");
        var ey = Strided.Expand(y.to(dtype), shape, "where");
        var r = Tensor.Empty(shape, dtype);
        var cs = c.BSpan;
        if (dtype == ScalarType.Float32)
        {
            var xs = ex.FSpan; var ys = ey.FSpan; var d = r.FSpan;
            for (int i = 0; i < d.Length; i++) d[i] = cs[i] ? xs[i] : ys[i];
        }
        else if (dtype == ScalarType.Int64)
        {
            var xs = ex.LSpan; var ys = ey.LSpan; var d = r.LSpan;
            for (int i = 0; i < d.Length; i++) d[i] = cs[i] ? xs[i] : ys[i];
        }
        else
        {
            var xs = ex.BSpan; var ys = ey.BSpan; var d = r.BSpan;
            for (int i = 0; i < d.Length; i++) d[i] = cs[i] ? xs[i] : ys[i];
        }
        if (Autograd.Needs(x, y))
            Autograd.RecordBroadcast("where", r, x, g => where(c, g, 0f), y, g => where(c, 0f, g));
        return r;
    }

    public static Tensor where(Tensor condition, Tensor x, double y) => where(condition, x, tensor((float)y));
    public static Tensor where(Tensor condition, double x, Tensor y) => where(condition, tensor((float)x), y);
    /// <summary>Scalar branches (without this overload the call is ambiguous between the two mixed ones).</summary>
    public static Tensor where(Tensor condition, double x, double y) => where(condition, tensor((float)x), tensor((float)y));

    public static Tensor gather(Tensor input, long dim, Tensor index) => input.gather(dim, index);
    public static Tensor index_select(Tensor input, long dim, Tensor index) => input.index_select(dim, index);
    public static Tensor masked_fill(Tensor input, Tensor mask, double value) => input.masked_fill(mask, value);
    public static Tensor cumsum(Tensor input, long dim) => input.cumsum(dim);
    public static Tensor cumprod(Tensor input, long dim) => input.cumprod(dim);
    public static Tensor softmax(Tensor input, long dim) => input.softmax(dim);
    public static Tensor log_softmax(Tensor input, long dim) => input.log_softmax(dim);
    public static Tensor scatter(Tensor input, long dim, Tensor index, Tensor src) => input.scatter(dim, index, src);
    public static Tensor scatter_add(Tensor input, long dim, Tensor index, Tensor src) => input.scatter_add(dim, index, src);
    public static Tensor nonzero(Tensor input) => input.nonzero();
    public static Tensor argwhere(Tensor input) => input.nonzero();

    public partial class Tensor
    {
        internal Tensor LongIndex(string op)
        {
            if (dt == ScalarType.Int64) return contig ? this : Strided.Contiguous(this);
            if (dt == ScalarType.Bool || dt == ScalarType.Float32) throw new ArgumentException($"{op}: index tensors must be Int64, got {dt} of shape {ShapeStr}.");
            return Strided.Convert(this, ScalarType.Int64);
        }

        /// <summary>Walks every element of index (same rank as this), giving the flat offsets into this and into index.</summary>
        void ForIndex(int d, Tensor index, string op, Action<int, int> body)
        {
            if (index.shp.Length != shp.Length) throw new ArgumentException($"{op}: index has rank {index.shp.Length} but input has rank {shp.Length} (shapes {index.ShapeStr} and {ShapeStr}).");
            var ix = index.LongIndex(op);
            var li = ix.LSpan.ToArray();
            var coord = new int[shp.Length];
            int size = shp[d];
            for (int n = 0; n < li.Length; n++)
            {
                long v = li[n];
                if (v < 0) v += size;
                if (v < 0 || v >= size) throw new IndexOutOfRangeException($"{op}: index {li[n]} is out of bounds for dim {d} of size {size} (input shape {ShapeStr}).");
                int off = 0;
                for (int k = 0; k < coord.Length; k++) off += (k == d ? (int)v : coord[k]) * stv[k];
                body(n, off);
                for (int k = coord.Length - 1; k >= 0; k--) { if (++coord[k] < index.shp[k]) break; coord[k] = 0; }
            }
        }

        /// <summary>out[..i..] = this[..index[..i..]..] along dim; out has index's shape.</summary>
        public Tensor gather(long dim, Tensor index)
        {
            int d = Shape.Dim(dim, shp.Length, "gather");
            var src = ContigF("gather");
            var r = Empty(index.shp);
            var rs = r.storage.F!; var ss = src.storage.F!; int so = src.offset;
            src.ForIndex(d, index, "gather", (n, off) => rs[n] = ss[so + off]);
            if (Autograd.Needs(this))
            {
                var s = shape;
                Autograd.Record("gather", r, this, g => zeros(s).scatter_add(d, index, g));
            }
            return r;
        }

        /// <summary>Out of place: a copy of this with src values written at index along dim.</summary>
        public Tensor scatter(long dim, Tensor index, Tensor src) => Scatter(dim, index, src, false, "scatter");
        public Tensor scatter_add(long dim, Tensor index, Tensor src) => Scatter(dim, index, src, true, "scatter_add");
        public Tensor scatter_(long dim, Tensor index, Tensor src) => InPlace("scatter_", src, t => t.scatter(dim, index, src));
        public Tensor scatter_add_(long dim, Tensor index, Tensor src) => InPlace("scatter_add_", src, t => t.scatter_add(dim, index, src));

        Tensor Scatter(long dim, Tensor index, Tensor src, bool add, string op)
        {
            int d = Shape.Dim(dim, shp.Length, op);
            var r = Strided.Contiguous(ContigF(op));
            var vals = src.ContigF(op);
            if (!Shape.SameShape(vals.shp, index.shp))
                vals = vals.shp.Length == index.shp.Length ? Strided.Contiguous(new Tensor(vals.storage, vals.offset, index.shp, vals.stv, vals.dt)) : throw new ArgumentException($"{op}: src shape {src.ShapeStr} does not cover index shape {index.ShapeStr}.");
            var rs = r.storage.F!; var vs = vals.FSpan.ToArray();
            if (add) r.ForIndex(d, index, op, (n, off) => rs[off] += vs[n]);
            else r.ForIndex(d, index, op, (n, off) => rs[off] = vs[n]);
            if (Autograd.Needs(this, src))
            {
                var ix = index;
                Autograd.Record(op, r, this, g => add ? g : g.scatter(d, ix, zeros_like(src)), src, g => g.gather(d, ix).reshape(src.shape));
            }
            return r;
        }

        /// <summary>Selects entries of dim by a 1-D Int64 index (a copy).</summary>
        public Tensor index_select(long dim, Tensor index)
        {
            int d = Shape.Dim(dim, shp.Length, "index_select");
            if (index.shp.Length > 1) throw new ArgumentException($"index_select: index must be 1-D, got shape {index.ShapeStr}.");
            var ix = index.LongIndex("index_select").LSpan.ToArray();
            var ns = (int[])shp.Clone(); ns[d] = ix.Length;
            var r = Empty(ns, dt);
            var rst = r.stv;
            if (contig && dt == ScalarType.Float32)
            {
                // Embedding-style lookups: copy whole inner blocks.
                var (outer, size, inner) = Reduce.Split(shp, d);
                var src = storage.F!; var dst = r.storage.F!;
                for (int i = 0; i < ix.Length; i++)
                {
                    long v = ix[i] < 0 ? ix[i] + size : ix[i];
                    if (v < 0 || v >= size) throw new IndexOutOfRangeException($"index_select: index {ix[i]} is out of bounds for dim {d} of size {size} (shape {ShapeStr}).");
                }
                for (int o = 0; o < outer; o++)
                    for (int i = 0; i < ix.Length; i++)
                    {
                        long v = ix[i] < 0 ? ix[i] + size : ix[i];
                        Array.Copy(src, offset + (o * size + (int)v) * inner, dst, (o * ix.Length + i) * inner, inner);
                    }
            }
            else for (int i = 0; i < ix.Length; i++)
            {
                long v = ix[i] < 0 ? ix[i] + shp[d] : ix[i];
                if (v < 0 || v >= shp[d]) throw new IndexOutOfRangeException($"index_select: index {ix[i]} is out of bounds for dim {d} of size {shp[d]} (shape {ShapeStr}).");
                var sub = (int[])shp.Clone(); sub[d] = 1;
                Strided.CopyInto(new Tensor(storage, offset + (int)v * stv[d], sub, stv, dt), stv, r.storage, i * rst[d], rst, sub);
            }
            if (Autograd.Needs(this))
            {
                var s = shape;
                Autograd.Record("index_select", r, this, g => zeros(s).index_add(d, index, g));
            }
            return r;
        }

        /// <summary>Out of place: this with src slices added at index along dim.</summary>
        public Tensor index_add(long dim, Tensor index, Tensor source, double alpha = 1)
        {
            int d = Shape.Dim(dim, shp.Length, "index_add");
            var ix = index.LongIndex("index_add").LSpan.ToArray();
            var r = Strided.Contiguous(ContigF("index_add"));
            var src = source.ContigF("index_add");
            if (src.shp.Length != shp.Length || src.shp[d] != ix.Length)
                throw new ArgumentException($"index_add: source shape {source.ShapeStr} does not match {ix.Length} indices along dim {d} of shape {ShapeStr}.");
            var (outer, _, inner) = Reduce.Split(shp, d);
            var rs = r.FSpan; var ss = src.FSpan;
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < ix.Length; i++)
                {
                    long v = ix[i] < 0 ? ix[i] + shp[d] : ix[i];
                    if (v < 0 || v >= shp[d]) throw new IndexOutOfRangeException($"index_add: index {ix[i]} is out of bounds for dim {d} of size {shp[d]}.");
                    var dst = rs.Slice((o * shp[d] + (int)v) * inner, inner);
                    var s = ss.Slice((o * ix.Length + i) * inner, inner);
                    if (alpha == 1) System.Numerics.Tensors.TensorPrimitives.Add(dst, s, dst);
                    else System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(s, (float)alpha, dst, dst);
                }
            if (Autograd.Needs(this, source))
                Autograd.Record("index_add", r, this, static g => g, source, g => g.index_select(d, index) * alpha);
            return r;
        }

        /// <summary>Where mask is true, value; elsewhere this (mask broadcasts).</summary>
        public Tensor masked_fill(Tensor mask, double value)
        {
            var m = Cmp.AsBool(mask);
            if (dt != ScalarType.Float32) return where(m, tensor(value, dt), this);
            var shape = Shape.Broadcast(shp, m.shp, "masked_fill");
            if (!Shape.SameShape(shape, shp)) throw new ArgumentException($"masked_fill: mask of shape {mask.ShapeStr} does not broadcast to the tensor's shape {ShapeStr}.");
            var em = Strided.Expand(m, shp, "masked_fill");
            var r = Strided.Contiguous(ContigF("masked_fill"));
            var rs = r.FSpan; var ms = em.BSpan; float v = (float)value;
            for (int i = 0; i < rs.Length; i++) if (ms[i]) rs[i] = v;
            if (Autograd.Needs(this)) Autograd.Record("masked_fill", r, this, g => g.masked_fill(em, 0));
            return r;
        }

        public Tensor masked_fill_(Tensor mask, double value) => InPlace("masked_fill_", null, t => t.masked_fill(mask, value));

        public Tensor masked_select(Tensor mask) => this[TensorIndex.Bool(mask.expand_as(this))];

        /// <summary>Coordinates of nonzero elements: Int64 [count, rank].</summary>
        public Tensor nonzero()
        {
            var b = Cmp.AsBool(this);
            var bs = b.BSpan;
            int cnt = 0; foreach (var v in bs) if (v) cnt++;
            int rank = shp.Length;
            var r = Empty([cnt, rank], ScalarType.Int64);
            var rs = r.LSpan;
            var coord = new int[rank];
            int k = 0;
            for (int i = 0; i < bs.Length; i++)
            {
                if (bs[i]) { for (int j = 0; j < rank; j++) rs[k * rank + j] = coord[j]; k++; }
                for (int j = rank - 1; j >= 0; j--) { if (++coord[j] < shp[j]) break; coord[j] = 0; }
            }
            return r;
        }

        public Tensor cumsum(long dim)
        {
            int d = Shape.Dim(dim, shp.Length, "cumsum");
            if (dt != ScalarType.Float32) return to(ScalarType.Float32).cumsum(dim).to(dt);
            var c = ContigF("cumsum");
            var r = Empty(shp);
            var (outer, n, inner) = Reduce.Split(shp, d);
            var s = c.FSpan; var o = r.FSpan;
            for (int a = 0; a < outer; a++)
                for (int j = 0; j < inner; j++)
                {
                    float acc = 0; int b = a * n * inner + j;
                    for (int i = 0; i < n; i++) { acc += s[b + i * inner]; o[b + i * inner] = acc; }
                }
            if (Autograd.Needs(this)) Autograd.Record("cumsum", r, this, g => g.flip(d).cumsum(d).flip(d));
            return r;
        }

        /// <summary>Cumulative product. Its gradient is computed without dividing by the input, so zeros are fine.</summary>
        public Tensor cumprod(long dim)
        {
            int d = Shape.Dim(dim, shp.Length, "cumprod");
            var c = ContigF("cumprod");
            var r = Empty(shp);
            var (outer, n, inner) = Reduce.Split(shp, d);
            var s = c.FSpan; var o = r.FSpan;
            for (int a = 0; a < outer; a++)
                for (int j = 0; j < inner; j++)
                {
                    float acc = 1; int b = a * n * inner + j;
                    for (int i = 0; i < n; i++) { acc *= s[b + i * inner]; o[b + i * inner] = acc; }
                }
            if (Autograd.Needs(this)) Autograd.Record("cumprod", r, this, g => CumprodBackward(c, r, g, d)).Save(this);
            return r;
        }

        /// <summary>
        /// dx[i] = P[i-1] * S[i], with P the cumulative product (P[-1] = 1) and S[i] = g[i] + x[i+1] * S[i+1] a reverse
        /// scan: O(n), no division, so a zero input gives PyTorch's finite gradient instead of NaN.
        /// </summary>
        static Tensor CumprodBackward(Tensor x, Tensor p, Tensor g, int d)
        {
            var gc = g.ContigF("cumprod backward");
            var r = Empty(x.shp);
            var (outer, n, inner) = Reduce.Split(x.shp, d);
            var xs = x.FSpan; var ps = p.FSpan; var gs = gc.FSpan; var o = r.FSpan;
            for (int a = 0; a < outer; a++)
                for (int j = 0; j < inner; j++)
                {
                    int b = a * n * inner + j;
                    double s = 0;
                    for (int i = n - 1; i >= 0; i--)
                    {
                        int k = b + i * inner;
                        s = i == n - 1 ? gs[k] : gs[k] + xs[k + inner] * s;
                        o[k] = (float)((i == 0 ? 1.0 : ps[k - inner]) * s);
                    }
                }
            return r;
        }

        /// <summary>Softmax along dim (rows sum to 1), computed stably.</summary>
        public Tensor softmax(long dim)
        {
            int d = Shape.Dim(dim, shp.Length, "softmax");
            var r = SoftmaxCore(d, log: false);
            if (Autograd.Needs(this))
                Autograd.Record("softmax", r, this, g => r * (g - (g * r).sum(d, keepdim: true))).Save(r);
            return r;
        }

        public Tensor log_softmax(long dim)
        {
            int d = Shape.Dim(dim, shp.Length, "log_softmax");
            var r = SoftmaxCore(d, log: true);
            if (Autograd.Needs(this))
                Autograd.Record("log_softmax", r, this, g => g - r.exp() * g.sum(d, keepdim: true)).Save(r);
            return r;
        }

        Tensor SoftmaxCore(int d, bool log)
        {
            var c = ContigF(log ? "log_softmax" : "softmax");
            var r = Empty(shp);
            if (count == 0) return r;
            var (outer, n, inner) = Reduce.Split(shp, d);
            var s = c.FSpan; var o = r.FSpan;
            if (inner == 1)
            {
                var tmp = log ? new float[n] : [];
                for (int a = 0; a < outer; a++)
                {
                    var row = s.Slice(a * n, n); var dst = o.Slice(a * n, n);
                    float m = System.Numerics.Tensors.TensorPrimitives.Max(row);
                    if (float.IsNegativeInfinity(m)) m = 0;
                    System.Numerics.Tensors.TensorPrimitives.Subtract(row, m, dst);
                    if (log)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Exp(dst, tmp);
                        float lse = MathF.Log(System.Numerics.Tensors.TensorPrimitives.Sum(tmp));
                        System.Numerics.Tensors.TensorPrimitives.Subtract(dst, lse, dst);
                    }
                    else
                    {
                        System.Numerics.Tensors.TensorPrimitives.Exp(dst, dst);
                        float sum = System.Numerics.Tensors.TensorPrimitives.Sum(dst);
                        System.Numerics.Tensors.TensorPrimitives.Divide(dst, sum, dst);
                    }
                }
                return r;
            }
            for (int a = 0; a < outer; a++)
                for (int j = 0; j < inner; j++)
                {
                    int b = a * n * inner + j;
                    float m = float.NegativeInfinity;
                    for (int i = 0; i < n; i++) m = MathF.Max(m, s[b + i * inner]);
                    if (float.IsNegativeInfinity(m)) m = 0;
                    double sum = 0;
                    for (int i = 0; i < n; i++) sum += MathF.Exp(s[b + i * inner] - m);
                    float ls = (float)Math.Log(sum);
                    for (int i = 0; i < n; i++)
                    {
                        float z = s[b + i * inner] - m;
                        o[b + i * inner] = log ? z - ls : MathF.Exp(z - ls);
                    }
                }
            return r;
        }
    }
}
