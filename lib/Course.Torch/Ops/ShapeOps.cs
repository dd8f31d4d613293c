namespace Course.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        int[] InferShape(ReadOnlySpan<long> dims, string op)
        {
            var s = new int[dims.Length];
            int infer = -1; long known = 1;
            for (int i = 0; i < dims.Length; i++)
            {
                if (dims[i] == -1)
                {
                    if (infer >= 0) throw new ArgumentException($"{op}: only one dimension can be -1, got {Shape.Str(dims)}.");
                    infer = i;
                }
                else if (dims[i] < 0) throw new ArgumentException($"{op}: invalid size {dims[i]} in {Shape.Str(dims)}.");
                else { s[i] = (int)dims[i]; known *= dims[i]; }
            }
            if (infer >= 0)
            {
                if (known == 0 || count % known != 0) throw new ArgumentException($"{op}: shape {Shape.Str(dims)} is invalid for input of size {count} (shape {ShapeStr}).");
                s[infer] = (int)(count / known);
            }
            else if (known != count) throw new ArgumentException($"{op}: shape {Shape.Str(dims)} is invalid for input of size {count} (shape {ShapeStr}).");
            return s;
        }

        /// <summary>A view when the data is contiguous, otherwise a copy (as PyTorch's reshape).</summary>
        public Tensor reshape(params long[] shape) => ReshapeTo(InferShape(shape, "reshape"), "reshape");
        /// <summary>Always a view; throws (as PyTorch) when the strides cannot express the new shape without a copy.</summary>
        public Tensor view(params long[] shape) => ViewTo(InferShape(shape, "view"), "view");
        public Tensor reshape_as(Tensor other) => ReshapeTo(other.shp, "reshape_as");
        public Tensor view_as(Tensor other) => ViewTo(other.shp, "view_as");

        Tensor ViewTo(int[] newShape, string op)
        {
            if (contig || count <= 1) return ReshapeTo(newShape, op);
            if (Shape.Numel(newShape) != count) throw new ArgumentException($"{op}: shape {Shape.Str(newShape)} is invalid for input of size {count} (shape {ShapeStr}).");
            var strides = ViewStrides(shp, stv, newShape)
                ?? throw new InvalidOperationException($"{op}: the tensor's strides {Shape.Str(stv)} (shape {ShapeStr}) are not compatible with shape {Shape.Str(newShape)}; use reshape() (it copies when needed) or call contiguous() first.");
            var r = View(offset, newShape, strides);
            if (Autograd.Needs(this)) { var old = shp; Autograd.Record(op, r, this, g => g.ReshapeTo(old, op)); }
            return r;
        }

        /// <summary>
        /// PyTorch's computeStride: walk the old dims from the right in chunks that are contiguous with each other,
        /// and give the new dims strides inside a chunk; null when a new dim would straddle two chunks.
        /// </summary>
        static int[]? ViewStrides(int[] oldShape, int[] oldStrides, int[] newShape)
        {
            var ns = new int[newShape.Length];
            int viewD = newShape.Length - 1;
            long chunkBase = oldStrides[^1], tensorNumel = 1, viewNumel = 1;
            for (int td = oldShape.Length - 1; td >= 0; td--)
            {
                tensorNumel *= oldShape[td];
                if (td == 0 || (oldShape[td - 1] != 1 && oldStrides[td - 1] != tensorNumel * chunkBase))
                {
                    while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1))
                    {
                        ns[viewD] = (int)(viewNumel * chunkBase);
                        viewNumel *= newShape[viewD];
                        viewD--;
                    }
                    if (viewNumel != tensorNumel) return null;
                    if (td > 0) { chunkBase = oldStrides[td - 1]; tensorNumel = 1; viewNumel = 1; }
                }
            }
            return viewD == -1 ? ns : null;
        }

        internal Tensor ReshapeTo(int[] newShape, string op)
        {
            if (Shape.Numel(newShape) != count) throw new ArgumentException($"{op}: shape {Shape.Str(newShape)} is invalid for input of size {count} (shape {ShapeStr}).");
            var src = contig ? this : Strided.Contiguous(this);
            var r = src.View(src.offset, newShape, Shape.ContiguousStrides(newShape));
            if (Autograd.Needs(this)) { var old = shp; Autograd.Record(op, r, this, g => g.ReshapeTo(old, op)); }
            return r;
        }

        public Tensor flatten(long start_dim = 0, long end_dim = -1)
        {
            if (shp.Length == 0) return ReshapeTo([1], "flatten");
            int s = Shape.Dim(start_dim, shp.Length, "flatten"), e = Shape.Dim(end_dim, shp.Length, "flatten");
            if (s > e) throw new ArgumentException($"flatten: start_dim {start_dim} comes after end_dim {end_dim} for rank {shp.Length}.");
            var ns = new int[shp.Length - (e - s)];
            int k = 0, prod = 1;
            for (int i = 0; i < shp.Length; i++)
            {
                if (i < s || i > e) ns[k++] = shp[i];
                else { prod *= shp[i]; if (i == e) ns[k++] = prod; }
            }
            return ReshapeTo(ns, "flatten");
        }

        public Tensor unflatten(long dim, params long[] sizes)
        {
            int d = Shape.Dim(dim, shp.Length, "unflatten");
            var mid = InferSub(sizes, shp[d]);
            var ns = new int[shp.Length - 1 + mid.Length];
            int k = 0;
            for (int i = 0; i < shp.Length; i++)
            {
                if (i == d) foreach (var m in mid) ns[k++] = m;
                else ns[k++] = shp[i];
            }
            return ReshapeTo(ns, "unflatten");
        }

        static int[] InferSub(long[] sizes, int total)
        {
            var r = new int[sizes.Length]; int infer = -1; long known = 1;
            for (int i = 0; i < sizes.Length; i++) { if (sizes[i] == -1) infer = i; else { r[i] = (int)sizes[i]; known *= sizes[i]; } }
            if (infer >= 0) r[infer] = (int)(total / known);
            else if (known != total) throw new ArgumentException($"unflatten: sizes {Shape.Str(sizes)} do not multiply to {total}.");
            return r;
        }

        public Tensor squeeze()
        {
            int k = 0;
            foreach (var d in shp) if (d != 1) k++;
            var ns = new int[k];
            k = 0;
            foreach (var d in shp) if (d != 1) ns[k++] = d;
            return ReshapeOrView(ns, "squeeze");
        }

        public Tensor squeeze(long dim)
        {
            if (shp.Length == 0) return this;
            int d = Shape.Dim(dim, shp.Length, "squeeze");
            if (shp[d] != 1) return this;
            var ns = new int[shp.Length - 1]; var st = new int[shp.Length - 1];
            for (int i = 0, k = 0; i < shp.Length; i++) if (i != d) { ns[k] = shp[i]; st[k++] = stv[i]; }
            return StridedView(offset, ns, st, "squeeze");
        }

        public Tensor unsqueeze(long dim)
        {
            int d = Shape.Dim(dim, shp.Length + 1, "unsqueeze");
            var ns = new int[shp.Length + 1]; var st = new int[shp.Length + 1];
            for (int i = 0, k = 0; i <= shp.Length; i++)
            {
                if (i == d) { ns[i] = 1; st[i] = i < shp.Length ? shp[i] * stv[i] : 1; }
                else { ns[i] = shp[k]; st[i] = stv[k]; k++; }
            }
            return StridedView(offset, ns, st, "unsqueeze");
        }

        Tensor ReshapeOrView(int[] ns, string op)
        {
            // Removing size-1 dims never needs a copy: keep the remaining strides.
            var st = new int[ns.Length];
            for (int i = 0, k = 0; i < shp.Length; i++) if (shp[i] != 1) st[k++] = stv[i];
            return StridedView(offset, ns, st, op);
        }

        /// <summary>A view with new geometry whose gradient is a reshape back (the element order is unchanged).</summary>
        Tensor StridedView(int off, int[] ns, int[] st, string op)
        {
            var r = View(off, ns, st);
            if (Autograd.Needs(this)) { var old = shp; Autograd.Record(op, r, this, g => g.ReshapeTo(old, op)); }
            return r;
        }

        public Tensor permute(params long[] permutation)
        {
            if (permutation.Length != shp.Length) throw new ArgumentException($"permute: {permutation.Length} dims given for a tensor of rank {shp.Length} (shape {ShapeStr}).");
            var p = new int[shp.Length]; var seen = new bool[shp.Length];
            var ns = new int[shp.Length]; var st = new int[shp.Length];
            for (int i = 0; i < p.Length; i++)
            {
                p[i] = Shape.Dim(permutation[i], shp.Length, "permute");
                if (seen[p[i]]) throw new ArgumentException($"permute: dim {p[i]} repeats in {Shape.Str(permutation)}.");
                seen[p[i]] = true; ns[i] = shp[p[i]]; st[i] = stv[p[i]];
            }
            var r = View(offset, ns, st);
            if (Autograd.Needs(this))
            {
                var inv = new long[p.Length];
                for (int i = 0; i < p.Length; i++) inv[p[i]] = i;
                Autograd.Record("permute", r, this, g => g.permute(inv));
            }
            return r;
        }

        public Tensor transpose(long dim0, long dim1)
        {
            if (shp.Length < 2 && dim0 is 0 or -1 && dim1 is 0 or -1) return this;
            int a = Shape.Dim(dim0, shp.Length, "transpose"), b = Shape.Dim(dim1, shp.Length, "transpose");
            var p = new long[shp.Length];
            for (int i = 0; i < p.Length; i++) p[i] = i;
            (p[a], p[b]) = (p[b], p[a]);
            return permute(p);
        }

        public Tensor swapaxes(long a, long b) => transpose(a, b);
        public Tensor movedim(long source, long destination)
        {
            int s = Shape.Dim(source, shp.Length, "movedim"), d = Shape.Dim(destination, shp.Length, "movedim");
            var order = Enumerable.Range(0, shp.Length).Where(i => i != s).Select(i => (long)i).ToList();
            order.Insert(d, s);
            return permute(order.ToArray());
        }

        /// <summary>Transpose of a 2-D tensor (a view). Rank 0/1 tensors are returned as is.</summary>
        public Tensor t()
        {
            if (shp.Length > 2) throw new ArgumentException($"t: expects a tensor with at most 2 dims, got rank {shp.Length} (shape {ShapeStr}); use transpose or mT.");
            return shp.Length < 2 ? this : transpose(0, 1);
        }
        public Tensor T
        {
            get
            {
                if (shp.Length < 2) return this;
                var p = new long[shp.Length];
                for (int i = 0; i < p.Length; i++) p[i] = p.Length - 1 - i;
                return permute(p);
            }
        }
        public Tensor mT => transpose(-2, -1);

        public Tensor contiguous()
        {
            if (contig) return this;
            var r = Strided.Contiguous(this);
            if (Autograd.Needs(this)) Autograd.Record("contiguous", r, this, static g => g);
            return r;
        }

        public Tensor clone()
        {
            var r = Strided.Contiguous(this);
            if (Autograd.Needs(this)) Autograd.Record("clone", r, this, static g => g);
            return r;
        }

        /// <summary>Shares storage, cut from the graph.</summary>
        public Tensor detach() => new(storage, offset, shp, stv, dt, this);

        public Tensor detach_()
        {
            if (viewBase is null && gradFn is not null) { gradFn = null; needsGrad = false; }
            else needsGrad = false;
            return this;
        }

        /// <summary>A broadcast view (stride 0 on expanded dims). -1 keeps a size.</summary>
        public Tensor expand(params long[] sizes)
        {
            if (sizes.Length < shp.Length) throw new ArgumentException($"expand: {sizes.Length} sizes given for a tensor of rank {shp.Length} (shape {ShapeStr}).");
            var target = new int[sizes.Length];
            int off = sizes.Length - shp.Length;
            for (int i = 0; i < sizes.Length; i++) target[i] = sizes[i] == -1 && i >= off ? shp[i - off] : (int)sizes[i];
            return ExpandTo(target, "expand");
        }

        public Tensor expand_as(Tensor other) => ExpandTo(other.shp, "expand_as");
        public Tensor broadcast_to(params long[] sizes) => expand(sizes);

        internal Tensor ExpandTo(int[] target, string op)
        {
            if (Shape.SameShape(target, shp)) return this;
            var st = Shape.BroadcastStrides(shp, stv, target, op);
            var r = View(offset, target, st);
            if (Autograd.Needs(this)) { var old = shp; Autograd.Record(op, r, this, g => Reduce.SumTo(g, old)); }
            return r;
        }

        /// <summary>Tiles the tensor; repeats has at least as many entries as dims.</summary>
        public Tensor repeat(params long[] repeats)
        {
            if (repeats.Length < shp.Length) throw new ArgumentException($"repeat: {repeats.Length} repeat counts for a tensor of rank {shp.Length} (shape {ShapeStr}).");
            int n = repeats.Length, off = n - shp.Length;
            // View as [1, s0, 1, s1, ...] expanded to [r0, s0, r1, s1, ...], then materialise.
            var inter = new long[2 * n]; var outShape = new long[n];
            var src = this;
            var padded = new long[n];
            for (int i = 0; i < n; i++) padded[i] = i < off ? 1 : shp[i - off];
            src = src.reshape(padded);
            var withOnes = new long[2 * n];
            for (int i = 0; i < n; i++) { withOnes[2 * i] = 1; withOnes[2 * i + 1] = padded[i]; inter[2 * i] = repeats[i]; inter[2 * i + 1] = padded[i]; outShape[i] = repeats[i] * padded[i]; }
            return src.reshape(withOnes).expand(inter).contiguous().reshape(outShape);
        }

        public Tensor tile(params long[] reps) => repeat(reps.Length >= shp.Length ? reps : Enumerable.Repeat(1L, shp.Length - reps.Length).Concat(reps).ToArray());

        /// <summary>A view of length elements of dim starting at start.</summary>
        public Tensor narrow(long dim, long start, long length)
        {
            int d = Shape.Dim(dim, shp.Length, "narrow");
            if (start < 0) start += shp[d];
            if (start < 0 || length < 0 || start + length > shp[d])
                throw new ArgumentOutOfRangeException(nameof(start), $"narrow: start {start} + length {length} exceeds size {shp[d]} of dim {d} (shape {ShapeStr}).");
            return Slice(d, (int)start, (int)(start + length), 1);
        }

        /// <summary>Basic slice view along one dim with a positive step (bounds already clamped).</summary>
        internal Tensor Slice(int d, int start, int stop, int step)
        {
            int len = Math.Max(0, (stop - start + step - 1) / step);
            var ns = (int[])shp.Clone(); var st = (int[])stv.Clone();
            ns[d] = len; st[d] = stv[d] * step;
            var r = View(offset + start * stv[d], ns, st);
            if (Autograd.Needs(this))
            {
                var old = shp;
                Autograd.Record("slice", r, this, g =>
                {
                    var z = Empty(old, ScalarType.Float32, zero: true);
                    z.Slice(d, start, stop, step).WriteFrom(g);
                    return z;
                });
            }
            return r;
        }

        /// <summary>Removes dim by taking one index (a view).</summary>
        public Tensor select(long dim, long index)
        {
            int d = Shape.Dim(dim, shp.Length, "select");
            long i = index < 0 ? index + shp[d] : index;
            if (i < 0 || i >= shp[d]) throw new IndexOutOfRangeException($"select: index {index} is out of range for dim {d} of size {shp[d]} (shape {ShapeStr}).");
            return Slice(d, (int)i, (int)i + 1, 1).squeeze(d);
        }

        public Tensor[] chunk(long chunks, long dim = 0)
        {
            int d = Shape.Dim(dim, shp.Length, "chunk");
            if (chunks <= 0) throw new ArgumentException($"chunk: chunks must be positive, got {chunks}.");
            long size = (shp[d] + chunks - 1) / chunks;
            return split(Math.Max(size, 1), dim);
        }

        public Tensor[] split(long split_size, long dim = 0)
        {
            int d = Shape.Dim(dim, shp.Length, "split");
            if (split_size <= 0) throw new ArgumentException($"split: split_size must be positive, got {split_size}.");
            var list = new List<Tensor>();
            for (long s = 0; s < shp[d]; s += split_size) list.Add(narrow(d, s, Math.Min(split_size, shp[d] - s)));
            if (list.Count == 0) list.Add(narrow(d, 0, 0));
            return list.ToArray();
        }

        public Tensor[] split(long[] split_sizes, long dim = 0)
        {
            int d = Shape.Dim(dim, shp.Length, "split");
            if (split_sizes.Sum() != shp[d]) throw new ArgumentException($"split: sizes {Shape.Str(split_sizes)} do not sum to {shp[d]}, the size of dim {d}.");
            var r = new Tensor[split_sizes.Length];
            long s = 0;
            for (int i = 0; i < r.Length; i++) { r[i] = narrow(d, s, split_sizes[i]); s += split_sizes[i]; }
            return r;
        }

        public Tensor[] unbind(long dim = 0)
        {
            int d = Shape.Dim(dim, shp.Length, "unbind");
            var r = new Tensor[shp[d]];
            for (int i = 0; i < r.Length; i++) r[i] = select(d, i);
            return r;
        }

        /// <summary>Reverses the order along the given dims (a copy).</summary>
        public Tensor flip(params long[] dims)
        {
            var src = this;
            var ns = (int[])shp.Clone(); var st = (int[])stv.Clone(); int off = offset;
            foreach (var dd in dims)
            {
                int d = Shape.Dim(dd, shp.Length, "flip");
                if (shp[d] > 0) { off += (shp[d] - 1) * stv[d]; st[d] = -stv[d]; }
            }
            var r = Strided.Contiguous(new Tensor(storage, off, ns, st, dt));
            if (Autograd.Needs(this)) Autograd.Record("flip", r, this, g => g.flip(dims));
            return r;
        }

        /// <summary>Circular shift along dim.</summary>
        public Tensor roll(long shifts, long dim)
        {
            int d = Shape.Dim(dim, shp.Length, "roll");
            int n = shp[d];
            if (n == 0) return clone();
            int s = (int)(((shifts % n) + n) % n);
            if (s == 0) return clone();
            return cat([narrow(d, n - s, s), narrow(d, 0, n - s)], d);
        }
    }

    public static Tensor reshape(Tensor t, params long[] shape) => t.reshape(shape);
    public static Tensor flatten(Tensor t, long start_dim = 0, long end_dim = -1) => t.flatten(start_dim, end_dim);
    public static Tensor squeeze(Tensor t, long? dim = null) => dim is null ? t.squeeze() : t.squeeze(dim.Value);
    public static Tensor unsqueeze(Tensor t, long dim) => t.unsqueeze(dim);
    public static Tensor permute(Tensor t, params long[] dims) => t.permute(dims);
    public static Tensor transpose(Tensor t, long dim0, long dim1) => t.transpose(dim0, dim1);
    public static Tensor t(Tensor x) => x.t();
    public static Tensor narrow(Tensor t, long dim, long start, long length) => t.narrow(dim, start, length);
    public static Tensor[] chunk(Tensor t, long chunks, long dim = 0) => t.chunk(chunks, dim);
    public static Tensor[] split(Tensor t, long size, long dim = 0) => t.split(size, dim);
    public static Tensor[] unbind(Tensor t, long dim = 0) => t.unbind(dim);
    public static Tensor clone(Tensor t) => t.clone();
    public static Tensor flip(Tensor t, params long[] dims) => t.flip(dims);
    public static Tensor roll(Tensor t, long shifts, long dim) => t.roll(shifts, dim);
    public static Tensor movedim(Tensor t, long source, long destination) => t.movedim(source, destination);
}
