namespace Course.Torch;

using static torch;

/// <summary>
/// PyTorch indexing. Basic entries (integers, slices, None, ...) make a strided view; Int64 tensors and Bool
/// masks ("advanced" entries) then gather from that view. Advanced index tensors broadcast together; their
/// result dims go where the first advanced entry was when they are adjacent, else first (PyTorch's rule).
/// The same plan writes (index_put_) and routes gradients.
/// </summary>
internal sealed class IndexPlan
{
    readonly TensorIndex[] entries;
    readonly int[] srcShape;

    public IndexPlan(TensorIndex[] indices, int[] shape)
    {
        srcShape = shape;
        int consumed = 0, ellipses = 0;
        foreach (var e in indices)
        {
            switch (e.kind)
            {
                case TensorIndex.Kind.Single or TensorIndex.Kind.Slice: consumed++; break;
                case TensorIndex.Kind.Tensor: consumed += e.tensor!.dt == ScalarType.Bool ? Math.Max(e.tensor.shp.Length, 1) : 1; break;
                case TensorIndex.Kind.Ellipsis: ellipses++; break;
            }
        }
        if (ellipses > 1) throw new ArgumentException("index: an index can only have a single ellipsis ('...').");
        if (consumed > shape.Length)
            throw new IndexOutOfRangeException($"index: too many indices for a tensor of rank {shape.Length} (shape {Shape.Str(shape)}): {consumed} dims indexed.");
        var list = new List<TensorIndex>();
        foreach (var e in indices)
        {
            if (e.kind == TensorIndex.Kind.Ellipsis) for (int i = 0; i < shape.Length - consumed; i++) list.Add(TensorIndex.Colon);
            else list.Add(e);
        }
        if (ellipses == 0) for (int i = consumed; i < shape.Length; i++) list.Add(TensorIndex.Colon);
        entries = list.ToArray();
    }

    public bool IsBasic => !entries.Any(e => e.kind == TensorIndex.Kind.Tensor);

    /// <summary>The basic view of t (same shape as the planned source) and the advanced entries found.</summary>
    public (Tensor view, List<(int pos, Tensor idx)> adv) Basic(Tensor t)
    {
        var shape = new List<int>(); var strides = new List<int>();
        var adv = new List<(int, Tensor)>();
        int off = t.offset, d = 0;
        foreach (var e in entries)
        {
            switch (e.kind)
            {
                case TensorIndex.Kind.Single:
                    {
                        long i = e.index < 0 ? e.index + t.shp[d] : e.index;
                        if (i < 0 || i >= t.shp[d]) throw new IndexOutOfRangeException($"index: index {e.index} is out of range for dim {d} of size {t.shp[d]} (shape {t.ShapeStr}).");
                        off += (int)i * t.stv[d]; d++;
                        break;
                    }
                case TensorIndex.Kind.Slice:
                    {
                        int n = t.shp[d];
                        long step = e.step ?? 1;
                        if (step <= 0) throw new ArgumentException($"index: slice step must be positive, got {step} (dim {d}).");
                        long s = e.start ?? 0, st = e.stop ?? n;
                        if (s < 0) s += n; if (st < 0) st += n;
                        s = Math.Clamp(s, 0, n); st = Math.Clamp(st, 0, n);
                        int len = (int)Math.Max(0, (st - s + step - 1) / step);
                        off += (int)s * t.stv[d];
                        shape.Add(len); strides.Add(t.stv[d] * (int)step); d++;
                        break;
                    }
                case TensorIndex.Kind.None: shape.Add(1); strides.Add(0); break;
                case TensorIndex.Kind.BoolScalar: shape.Add(e.boolValue ? 1 : 0); strides.Add(0); break;
                case TensorIndex.Kind.Tensor:
                    {
                        var ix = e.tensor!;
                        if (ix.dt == ScalarType.Bool)
                        {
                            int k = Math.Max(ix.shp.Length, 1);
                            for (int j = 0; j < ix.shp.Length; j++)
                                if (ix.shp[j] != t.shp[d + j])
                                    throw new IndexOutOfRangeException($"index: mask of shape {ix.ShapeStr} does not match dims {d}..{d + k - 1} of the indexed tensor's shape {t.ShapeStr}.");
                            var nz = ix.nonzero();
                            for (int j = 0; j < k; j++)
                            {
                                adv.Add((shape.Count, ix.shp.Length == 0 ? nz.narrow(1, 0, 0).reshape(-1) : nz.select(1, j).contiguous()));
                                shape.Add(t.shp[d]); strides.Add(t.stv[d]); d++;
                            }
                        }
                        else
                        {
                            if (ix.dt == ScalarType.Float32) throw new ArgumentException($"index: tensors used as indices must be Int64 or Bool, got Float32 of shape {ix.ShapeStr}.");
                            adv.Add((shape.Count, ix.LongIndex("index")));
                            shape.Add(t.shp[d]); strides.Add(t.stv[d]); d++;
                        }
                        break;
                    }
            }
        }
        return (t.View(off, shape.ToArray(), strides.ToArray()), adv);
    }

    /// <summary>For advanced indexing: per broadcast index position, the element offset in the view, plus layout.</summary>
    sealed class Adv
    {
        public int[] S = [];           // broadcast index shape
        public int[] Offsets = [];     // per S element: offset into view (relative to view.offset)
        public int[] RestShape = [], RestStrides = [];
        public int InsertAt;           // where S dims go in the result
    }

    static Adv Prepare(Tensor view, List<(int pos, Tensor idx)> adv)
    {
        var a = new Adv();
        var s = adv[0].idx.shp;
        foreach (var (_, idx) in adv) s = Shape.Broadcast(s, idx.shp, "index");
        a.S = s;
        int n = Shape.Numel(s);
        a.Offsets = new int[n];
        foreach (var (pos, idx) in adv)
        {
            var e = Shape.SameShape(idx.shp, s) && idx.contig ? idx : Strided.Expand(idx, s, "index");
            var li = e.LSpan; int size = view.shp[pos], stride = view.stv[pos];
            for (int i = 0; i < n; i++)
            {
                long v = li[i] < 0 ? li[i] + size : li[i];
                if (v < 0 || v >= size) throw new IndexOutOfRangeException($"index: index {li[i]} is out of bounds for dim {pos} with size {size}.");
                a.Offsets[i] += (int)v * stride;
            }
        }
        var advPos = adv.Select(x => x.pos).ToHashSet();
        var rs = new List<int>(); var rst = new List<int>();
        for (int i = 0; i < view.shp.Length; i++) if (!advPos.Contains(i)) { rs.Add(view.shp[i]); rst.Add(view.stv[i]); }
        a.RestShape = rs.ToArray(); a.RestStrides = rst.ToArray();
        var sorted = adv.Select(x => x.pos).OrderBy(x => x).ToArray();
        bool adjacent = sorted[^1] - sorted[0] == sorted.Length - 1;
        a.InsertAt = adjacent ? sorted[0] : 0;
        return a;
    }

    static int[] ResultShape(Adv a)
    {
        var r = new List<int>();
        r.AddRange(a.RestShape.Take(a.InsertAt)); r.AddRange(a.S); r.AddRange(a.RestShape.Skip(a.InsertAt));
        return r.ToArray();
    }

    /// <summary>Permutation taking [S..., rest...] to the result order.</summary>
    static long[] ToResultOrder(Adv a)
    {
        int ns = a.S.Length, nr = a.RestShape.Length;
        var p = new List<long>();
        for (int i = 0; i < a.InsertAt; i++) p.Add(ns + i);
        for (int i = 0; i < ns; i++) p.Add(i);
        for (int i = a.InsertAt; i < nr; i++) p.Add(ns + i);
        return p.ToArray();
    }

    static long[] Inverse(long[] p) { var q = new long[p.Length]; for (int i = 0; i < p.Length; i++) q[p[i]] = i; return q; }

    /// <summary>Reads t[plan] (no autograd).</summary>
    public Tensor Gather(Tensor t)
    {
        var (view, adv) = Basic(t);
        if (adv.Count == 0) return view;
        var a = Prepare(view, adv);
        int restN = Shape.Numel(a.RestShape);
        var sr = a.S.Concat(a.RestShape).ToArray();
        var r = Tensor.Empty(sr, t.dt);
        if (a.RestShape.Length == 0 && t.dt == ScalarType.Float32)
        {
            // Element picks (e.g. logp[arange(B), y]): one load per index, no per-element views.
            var src = t.storage.F!; var dst = r.FSpan; int bo = view.offset;
            for (int i = 0; i < a.Offsets.Length; i++) dst[i] = src[bo + a.Offsets[i]];
            return r;
        }
        var rstr = Shape.ContiguousStrides(a.RestShape);
        for (int i = 0; i < a.Offsets.Length; i++)
        {
            var src = new Tensor(t.storage, view.offset + a.Offsets[i], a.RestShape, a.RestStrides, t.dt);
            Strided.CopyInto(src, a.RestStrides, r.storage, i * restN, rstr, a.RestShape);
        }
        var perm = ToResultOrder(a);
        return IsIdentity(perm) ? r : Strided.Contiguous(r.permute(perm));
    }

    static bool IsIdentity(long[] p) { for (int i = 0; i < p.Length; i++) if (p[i] != i) return false; return true; }

    /// <summary>Writes (or adds) value, broadcast to the indexed shape, into t[plan] in place (no autograd).</summary>
    public void Put(Tensor t, Tensor value, bool accumulate)
    {
        var (view, adv) = Basic(t);
        if (adv.Count == 0)
        {
            if (!accumulate) { view.WriteFrom(value, "index_put_"); return; }
            using (no_grad()) view.WriteFrom(view + value, "index_put_");
            return;
        }
        var a = Prepare(view, adv);
        var resShape = ResultShape(a);
        var v = value.dt == t.dt ? value : value.to(t.dt);
        v = Strided.Expand(v, resShape, "index_put_");
        // Bring value to [S..., rest...] order, contiguous.
        var perm = ToResultOrder(a);
        var vs = IsIdentity(perm) ? v : Strided.Contiguous(v.permute(Inverse(perm)));
        int restN = Shape.Numel(a.RestShape);
        var rstr = Shape.ContiguousStrides(a.RestShape);
        if (a.RestShape.Length == 0 && t.dt == ScalarType.Float32)
        {
            var dst = t.storage.F!; var src = vs.FSpan; int bo = view.offset;
            if (accumulate) for (int i = 0; i < a.Offsets.Length; i++) dst[bo + a.Offsets[i]] += src[i];
            else for (int i = 0; i < a.Offsets.Length; i++) dst[bo + a.Offsets[i]] = src[i];
            t.storage.Version++;
            return;
        }
        for (int i = 0; i < a.Offsets.Length; i++)
        {
            var srcSub = new Tensor(vs.storage, i * restN, a.RestShape, rstr, vs.dt);
            if (!accumulate)
                Strided.CopyInto(srcSub, rstr, t.storage, view.offset + a.Offsets[i], a.RestStrides, a.RestShape);
            else
            {
                var dstView = new Tensor(t.storage, view.offset + a.Offsets[i], a.RestShape, a.RestStrides, t.dt);
                Tensor sum;
                using (no_grad()) sum = dstView + srcSub;
                Strided.CopyInto(sum, sum.stv, t.storage, view.offset + a.Offsets[i], a.RestStrides, a.RestShape);
            }
        }
        t.storage.Version++;
    }
}

public static partial class torch
{
    public partial class Tensor
    {
        public Tensor this[params TensorIndex[] indices]
        {
            get => Index(indices);
            set => index_put_(value, indices);
        }

        public Tensor this[long i]
        {
            get => Index([TensorIndex.Single(i)]);
            set => index_put_(value, [TensorIndex.Single(i)]);
        }

        public Tensor this[long i, long j]
        {
            get => Index([TensorIndex.Single(i), TensorIndex.Single(j)]);
            set => index_put_(value, [TensorIndex.Single(i), TensorIndex.Single(j)]);
        }

        public Tensor this[long i, long j, long k]
        {
            get => Index([TensorIndex.Single(i), TensorIndex.Single(j), TensorIndex.Single(k)]);
            set => index_put_(value, [TensorIndex.Single(i), TensorIndex.Single(j), TensorIndex.Single(k)]);
        }

        public Tensor index(params TensorIndex[] indices) => Index(indices);

        Tensor Index(TensorIndex[] indices)
        {
            var plan = new IndexPlan(indices, shp);
            var r = plan.Gather(this);
            if (Autograd.Needs(this))
            {
                var s = shp;
                Autograd.Record("index", r, this, g =>
                {
                    var z = Empty(s, ScalarType.Float32, zero: true);
                    plan.Put(z, g, accumulate: true);
                    return z;
                });
            }
            return r;
        }

        /// <summary>this[indices] = value (value broadcasts); accumulate adds instead. Differentiable in both.</summary>
        public Tensor index_put_(Tensor value, params TensorIndex[] indices) => IndexPut(value, indices, false);
        public Tensor index_put_(Tensor value, TensorIndex[] indices, bool accumulate) => IndexPut(value, indices, accumulate);

        Tensor IndexPut(Tensor value, TensorIndex[] indices, bool accumulate)
        {
            var plan = new IndexPlan(indices, shp);
            if (!(GradMode.Enabled && (needsGrad || value.needsGrad)))
            {
                plan.Put(this, value, accumulate);
                return this;
            }
            return InPlace("index_put_", value, old =>
            {
                var r = Strided.Contiguous(old.ContigF("index_put_"));
                plan.Put(r, value.detach(), accumulate);
                var vs = value.shp;
                Autograd.Record("index_put_", r, old, g =>
                {
                    if (accumulate) return g;
                    var c = Strided.Contiguous(g);
                    plan.Put(c, zeros(1), false);
                    return c;
                }, value, g => Reduce.SumTo(plan.Gather(g.contiguous()).contiguous(), vs));
                return r;
            });
        }
    }
}
