namespace Course.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>The q-th quantile (linear interpolation, as PyTorch's default) over all elements or along dim. Not differentiable.</summary>
        public Tensor quantile(double q, long? dim = null, bool keepdim = false)
        {
            if (q < 0 || q > 1) throw new ArgumentException($"quantile: q must be in [0, 1], got {q}.");
            if (dim is null) return flatten().quantile(q, 0, false).reshape(keepdim ? Enumerable.Repeat(1L, shp.Length).ToArray() : []);
            int d = Shape.Dim(dim.Value, shp.Length, "quantile");
            Tensor sorted;
            using (no_grad()) sorted = sort(d).values;
            int n = shp[d];
            if (n == 0) throw new ArgumentException($"quantile: dim {d} is empty (shape {ShapeStr}).");
            double pos = q * (n - 1);
            int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, n - 1);
            double frac = pos - lo;
            Tensor r;
            using (no_grad()) r = sorted.narrow(d, lo, 1) * (1 - frac) + sorted.narrow(d, hi, 1) * frac;
            return keepdim ? r : r.squeeze(d);
        }

        /// <summary>Counts of each non-negative integer in a 1-D Int64 tensor (length max + 1, at least minlength).</summary>
        public Tensor bincount(Tensor? weights = null, long minlength = 0)
        {
            if (dt != ScalarType.Int64 || shp.Length != 1) throw new ArgumentException($"bincount: expected a 1-D Int64 tensor, got {dt} of shape {ShapeStr}.");
            var v = LongIndex("bincount").LSpan;
            long max = -1;
            foreach (var x in v) { if (x < 0) throw new ArgumentException($"bincount: values must be non-negative, found {x}."); max = Math.Max(max, x); }
            int len = (int)Math.Max(max + 1, minlength);
            if (weights is null)
            {
                var r = Empty([len], ScalarType.Int64, zero: true);
                var rs = r.LSpan;
                foreach (var x in v) rs[(int)x]++;
                return r;
            }
            if (weights.numel() != v.Length)
                throw new ArgumentException($"bincount: weights must have one entry per input value ({v.Length}), got shape {weights.ShapeStr}.");
            var w = weights.ContigF("bincount").FSpan;
            var rf = Empty([len], ScalarType.Float32, zero: true);
            var fs = rf.FSpan;
            for (int i = 0; i < v.Length; i++) fs[(int)v[i]] += w[i];
            return rf;
        }

        /// <summary>Sorted distinct values, with optional inverse indices and counts (flattened input).</summary>
        public (Tensor output, Tensor? inverse_indices, Tensor? counts) unique(bool sorted = true, bool return_inverse = false, bool return_counts = false)
        {
            var flat = flatten();
            // Sort and compare Int64 in its own type: values above 2^24 would merge as floats.
            var longs = flat.dt == ScalarType.Int64 ? flat.contiguous().LSpan.ToArray() : null;
            var floats = longs is null ? flat.to(ScalarType.Float32).contiguous().FSpan.ToArray() : null;
            long[] order;
            if (longs is null) order = flat.argsort().LSpan.ToArray();
            else
            {
                var ids = Enumerable.Range(0, longs.Length).ToArray();
                Array.Sort(ids, (a, b) => longs[a] != longs[b] ? longs[a].CompareTo(longs[b]) : a.CompareTo(b));
                order = ids.Select(i => (long)i).ToArray();
            }
            bool Same(int a, int b) => longs is not null ? longs[a] == longs[b] : floats![a] == floats[b];
            var uniq = new List<int>(); var counts = new List<long>();
            var inverse = new long[order.Length];
            for (int i = 0; i < order.Length; i++)
            {
                int k = (int)order[i];
                if (uniq.Count == 0 || !Same(uniq[^1], k)) { uniq.Add(k); counts.Add(0); }
                counts[^1]++;
                inverse[k] = uniq.Count - 1;
            }
            var outIdx = tensor(uniq.Select(i => (long)i).ToArray());
            Tensor output;
            using (no_grad()) output = flat.index_select(0, outIdx);
            return (output, return_inverse ? tensor(inverse).reshape(shape) : null, return_counts ? tensor(counts.ToArray()) : null);
        }
    }

    public static Tensor quantile(Tensor input, double q, long? dim = null, bool keepdim = false) => input.quantile(q, dim, keepdim);
    public static Tensor bincount(Tensor input, Tensor? weights = null, long minlength = 0) => input.bincount(weights, minlength);
}
