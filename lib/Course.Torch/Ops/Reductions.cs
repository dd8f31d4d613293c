using System.Numerics.Tensors;

namespace Course.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        long[] AllDims() { var d = new long[shp.Length]; for (int i = 0; i < d.Length; i++) d[i] = i; return d; }

        /// <summary>Sum of all elements (a 0-dim tensor). Int64/Bool sum to Int64.</summary>
        public Tensor sum()
        {
            ScalarType? type = null;
            if (dt != ScalarType.Float32) return Reduce.LongSum(this, Enumerable.Repeat(true, shp.Length).ToArray(), false);
            var c = ContigF("sum");
            var r = Empty(Shape.Scalar);
            r.FSpan[0] = TensorPrimitives.Sum(c.FSpan);
            if (Autograd.Needs(this)) { var s = shp; Autograd.Record("sum", r, this, g => g.ExpandTo(s, "sum")); }
            return type is null ? r : r.to(type.Value);
        }

        public Tensor sum(long dim, bool keepdim = false, ScalarType? type = null) => sum([dim], keepdim, type);

        public Tensor sum(long[] dims, bool keepdim = false, ScalarType? type = null)
        {
            var mask = Reduce.Mask(dims, shp.Length, "sum");
            if (dt != ScalarType.Float32) return Finish(Reduce.LongSum(this, mask, keepdim), type, false);
            var c = ContigF("sum");
            var k = Reduce.SumKeep(c, mask);
            var r = keepdim ? k : k.ReshapeNoGrad(Reduce.DropDims(shp, mask));
            if (Autograd.Needs(this))
            {
                var s = shp; var keepShape = k.shp;
                Autograd.Record("sum", r, this, g => g.ReshapeTo(keepShape, "sum").ExpandTo(s, "sum"));
            }
            return type is null ? r : r.to(type.Value);
        }

        internal Tensor ReshapeNoGrad(int[] ns) => new(storage, offset, ns, Shape.ContiguousStrides(ns), dt, viewBase);

        public Tensor mean()
        {
            if (dt != ScalarType.Float32) return to(ScalarType.Float32).mean();
            return sum() / Math.Max(count, 1);
        }

        public Tensor mean(long[] dimensions, bool keepdim = false, ScalarType? type = null)
        {
            if (dt != ScalarType.Float32) return to(ScalarType.Float32).mean(dimensions, keepdim);
            var mask = Reduce.Mask(dimensions, shp.Length, "mean");
            long n = 1; for (int i = 0; i < mask.Length; i++) if (mask[i]) n *= shp[i];
            return sum(dimensions, keepdim) / Math.Max(n, 1);
        }

        /// <summary>Extension over TorchSharp (which lacks mean(long dim)): mean over one dim.</summary>
        public Tensor mean(long dim, bool keepdim = false) => mean([dim], keepdim);

        public Tensor var(bool unbiased = true) => var(AllDims(), unbiased, false);
        public Tensor var(long dim, bool unbiased = true, bool keepdim = false) => var([dim], unbiased, keepdim);

        /// <summary>Variance; unbiased (divide by N - 1) by default, as PyTorch.</summary>
        public Tensor var(long[] dims, bool unbiased = true, bool keepdim = false)
        {
            var x = dt == ScalarType.Float32 ? this : to(ScalarType.Float32);
            var mask = Reduce.Mask(dims, shp.Length, "var");
            long n = 1; for (int i = 0; i < mask.Length; i++) if (mask[i]) n *= shp[i];
            var d = x - x.mean(dims, keepdim: true);
            return d.square().sum(dims, keepdim) / Math.Max(unbiased ? n - 1 : n, 0);
        }

        public Tensor std(bool unbiased = true) => var(unbiased).sqrt();
        public Tensor std(long dim, bool unbiased = true, bool keepdim = false) => var(dim, unbiased, keepdim).sqrt();
        public Tensor std(long[] dims, bool unbiased = true, bool keepdim = false) => var(dims, unbiased, keepdim).sqrt();

        public (Tensor std, Tensor mean) std_mean(long[] dims, bool unbiased = true, bool keepdim = false) => (std(dims, unbiased, keepdim), mean(dims, keepdim));
        public (Tensor var, Tensor mean) var_mean(long[] dims, bool unbiased = true, bool keepdim = false) => (this.var(dims, unbiased, keepdim), mean(dims, keepdim));

        /// <summary>Largest element (0-dim). As PyTorch's full reduction, the gradient is split evenly among tied maxima.</summary>
        public Tensor max() => MaxAll(true);
        public Tensor min() => MaxAll(false);

        Tensor MaxAll(bool max)
        {
            string name = max ? "max" : "min";
            if (count == 0) throw new ArgumentException($"{name}: cannot reduce an empty tensor (shape {ShapeStr}).");
            var flat = ContigF(name).ReshapeNoGrad([count]);
            var (v, i) = Reduce.MaxDim(flat, 0, max);
            if (dt == ScalarType.Int64) return v.to(ScalarType.Int64);
            if (Autograd.Needs(this))
            {
                var s = shp;
                float best = v.ContigF(name).FSpan[0];
                var fs = flat.FSpan;
                int ties = 0;
                for (int k = 0; k < fs.Length; k++) if (fs[k] == best) ties++;
                var at = new int[Math.Max(ties, 1)];
                if (ties == 0) at[0] = (int)i.LSpan[0];   // NaN maximum: no element equals it
                else { int n = 0; for (int k = 0; k < fs.Length; k++) if (fs[k] == best) at[n++] = k; }
                Autograd.Record(name, v, this, g =>
                {
                    var z = Empty(s, ScalarType.Float32, zero: true);
                    float share = g.ContigF(name).FSpan[0] / at.Length;
                    foreach (var k in at) z.storage.F![k] = share;
                    return z;
                });
            }
            return v;
        }

        public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false) => MaxDim(dim, keepdim, true);
        public (Tensor values, Tensor indexes) min(long dim, bool keepdim = false) => MaxDim(dim, keepdim, false);
        public Tensor max(Tensor other) => maximum(other);
        public Tensor min(Tensor other) => minimum(other);

        (Tensor values, Tensor indexes) MaxDim(long dim, bool keepdim, bool max)
        {
            string name = max ? "max" : "min";
            if (shp.Length == 0) return (this, tensor(0L));
            int d = Shape.Dim(dim, shp.Length, name);
            var c = ContigF(name);
            var (v, idx) = Reduce.MaxDim(c, d, max);
            if (keepdim)
            {
                var ks = (int[])shp.Clone(); ks[d] = 1;
                v = v.ReshapeNoGrad(ks); idx = idx.ReshapeNoGrad(ks);
            }
            if (dt == ScalarType.Int64) return (v.to(ScalarType.Int64), idx);
            if (Autograd.Needs(this))
            {
                var s = shp; var ix = keepdim ? idx : idx.unsqueeze(d);
                Autograd.Record(name, v, this, g =>
                {
                    var gk = keepdim ? g : g.unsqueeze(d);
                    return zeros(Shape.ToLong(s)).scatter(d, ix, gk);
                });
            }
            return (v, idx);
        }

        public Tensor amax(long[] dims, bool keepdim = false)
        {
            var t = this;
            var sorted = dims.Select(x => (long)Shape.Dim(x, shp.Length, "amax")).OrderByDescending(x => x).ToArray();
            foreach (var d in sorted) t = t.max(d, true).values;
            return keepdim ? t : t.ReshapeTo(Reduce.DropDims(shp, Reduce.Mask(dims, shp.Length, "amax")), "amax");
        }

        public Tensor argmax()
        {
            var flat = ContigF("argmax").ReshapeNoGrad([count]);
            return Reduce.MaxDim(flat, 0, true).indexes.ReshapeNoGrad(Shape.Scalar);
        }

        public Tensor argmax(long dim, bool keepdim = false) => max(dim, keepdim).indexes;
        public Tensor argmin() { var flat = ContigF("argmin").ReshapeNoGrad([count]); return Reduce.MaxDim(flat, 0, false).indexes.ReshapeNoGrad(Shape.Scalar); }
        public Tensor argmin(long dim, bool keepdim = false) => min(dim, keepdim).indexes;

        /// <summary>log(sum(exp(x))) over dim, stable for large inputs (the row max is subtracted first).</summary>
        public Tensor logsumexp(long dim, bool keepdim = false)
        {
            int d = Shape.Dim(dim, shp.Length, "logsumexp");
            var x = dt == ScalarType.Float32 ? this : to(ScalarType.Float32);
            Tensor m;
            using (no_grad())
            {
                m = x.max(d, true).values;
                var ms = m.FSpan;
                for (int i = 0; i < ms.Length; i++) if (float.IsInfinity(ms[i])) ms[i] = 0;
            }
            var r = (x - m).exp().sum(d, true).log() + m;
            return keepdim ? r : r.squeeze(d);
        }

        public Tensor logsumexp(long[] dims, bool keepdim = false)
        {
            var x = dt == ScalarType.Float32 ? this : to(ScalarType.Float32);
            Tensor m;
            using (no_grad())
            {
                m = x.detach().amax(dims, true);
                m = m.contiguous();
                var ms = m.FSpan;
                for (int i = 0; i < ms.Length; i++) if (float.IsInfinity(ms[i])) ms[i] = 0;
            }
            var r = (x - m).exp().sum(dims, true).log() + m;
            return keepdim ? r : r.ReshapeTo(Reduce.DropDims(shp, Reduce.Mask(dims, shp.Length, "logsumexp")), "logsumexp");
        }

        public Tensor prod()
        {
            var c = ContigF("prod");
            float p = 1; foreach (var v in c.FSpan) p *= v;
            var r = tensor(p);
            if (Autograd.Needs(this)) Autograd.Record("prod", r, this, g => ProdBackward(c, g)).Save(this);
            return r;
        }

        /// <summary>dx[i] = g * (product before i) * (product after i): no division, so zeros give finite gradients.</summary>
        static Tensor ProdBackward(Tensor c, Tensor g)
        {
            var xs = c.FSpan;
            var r = Empty(c.shp);
            var o = r.FSpan;
            float gv = g.ContigF("prod backward").FSpan[0];
            double before = 1;
            for (int i = 0; i < xs.Length; i++) { o[i] = (float)before; before *= xs[i]; }
            double after = 1;
            for (int i = xs.Length - 1; i >= 0; i--) { o[i] = (float)(o[i] * after * gv); after *= xs[i]; }
            return r;
        }

        /// <summary>L2 norm; its gradient x / norm is taken as 0 where the norm is 0 (PyTorch's subgradient), not NaN.</summary>
        public Tensor norm()
        {
            Tensor r;
            using (no_grad()) r = square().sum().sqrt();
            var self = this;
            if (Autograd.Needs(this)) Autograd.Record("norm", r, this, g => self * (g / NormDen(self, r, -1))).Save(this).Save(r);
            return r;
        }

        /// <summary>
        /// The norm with zeros replaced by 1 (x is all zero there, so x / 1 = 0). Under create_graph it is recomputed
        /// from x with recorded ops, so the second derivative sees its dependence on x.
        /// </summary>
        static Tensor NormDen(Tensor x, Tensor saved, int dim)
        {
            var n = GradMode.Enabled ? (dim < 0 ? x.square().sum() : x.square().sum(dim, keepdim: true)).sqrt() : saved;
            return n.masked_fill(n.eq(0), 1);
        }

        public Tensor norm(long dim, bool keepdim = false, double p = 2)
        {
            if (p == 1) return abs().sum(dim, keepdim);
            if (p != 2) return abs().pow(p).sum(dim, keepdim).pow(1 / p);
            int d = Shape.Dim(dim, shp.Length, "norm");
            Tensor rk;
            using (no_grad()) rk = square().sum(d, keepdim: true).sqrt();
            var r = keepdim ? rk : rk.squeeze(d);
            var self = this;
            if (Autograd.Needs(this))
                Autograd.Record("norm", r, this, g => self * ((keepdim ? g : g.unsqueeze(d)) / NormDen(self, rk, d))).Save(this);
            return r;
        }

        /// <summary>True if any element is nonzero (a 0-dim Bool tensor).</summary>
        public Tensor any()
        {
            var b = dt == ScalarType.Bool ? (contig ? this : Strided.Contiguous(this)) : Strided.Convert(this, ScalarType.Bool);
            return tensor(b.BSpan.Contains(true));
        }

        public Tensor all()
        {
            var b = dt == ScalarType.Bool ? (contig ? this : Strided.Contiguous(this)) : Strided.Convert(this, ScalarType.Bool);
            return tensor(!b.BSpan.Contains(false));
        }

        public Tensor any(long dim, bool keepdim = false) => to(ScalarType.Int64).sum(dim, keepdim).gt(0);
        public Tensor all(long dim, bool keepdim = false) => to(ScalarType.Int64).sum(dim, keepdim).eq(shp[Shape.Dim(dim, shp.Length, "all")]);

        public Tensor count_nonzero() => ne(0).sum();
    }

    public static Tensor sum(Tensor x) => x.sum();
    public static Tensor sum(Tensor x, long dim, bool keepdim = false) => x.sum(dim, keepdim);
    public static Tensor sum(Tensor x, long[] dims, bool keepdim = false) => x.sum(dims, keepdim);
    public static Tensor mean(Tensor x) => x.mean();
    public static Tensor mean(Tensor x, long[] dims, bool keepdim = false) => x.mean(dims, keepdim);
    public static Tensor var(Tensor x, bool unbiased = true) => x.var(unbiased);
    public static Tensor var(Tensor x, long dim, bool unbiased = true, bool keepdim = false) => x.var(dim, unbiased, keepdim);
    public static Tensor std(Tensor x, bool unbiased = true) => x.std(unbiased);
    public static Tensor std(Tensor x, long dim, bool unbiased = true, bool keepdim = false) => x.std(dim, unbiased, keepdim);
    public static Tensor max(Tensor x) => x.max();
    public static (Tensor values, Tensor indexes) max(Tensor x, long dim, bool keepdim = false) => x.max(dim, keepdim);
    public static Tensor min(Tensor x) => x.min();
    public static (Tensor values, Tensor indexes) min(Tensor x, long dim, bool keepdim = false) => x.min(dim, keepdim);
    public static Tensor argmax(Tensor x) => x.argmax();
    public static Tensor argmax(Tensor x, long dim, bool keepdim = false) => x.argmax(dim, keepdim);
    public static Tensor argmin(Tensor x, long dim, bool keepdim = false) => x.argmin(dim, keepdim);
    public static Tensor logsumexp(Tensor x, long dim, bool keepdim = false) => x.logsumexp(dim, keepdim);
    public static Tensor prod(Tensor x) => x.prod();
    public static Tensor norm(Tensor x) => x.norm();
    public static Tensor any(Tensor x) => x.any();
    public static Tensor all(Tensor x) => x.all();
}
