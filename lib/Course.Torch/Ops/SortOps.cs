namespace Course.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>Sorts along dim; returns values and the Int64 indices into the input. Stable.</summary>
        public (Tensor values, Tensor indices) sort(long dim = -1, bool descending = false, bool stable = false)
        {
            var idx = argsort(dim, descending);
            return (gather(Shape.Dim(dim, Math.Max(shp.Length, 1), "sort"), idx), idx);
        }

        public Tensor argsort(long dim = -1, bool descending = false)
        {
            if (shp.Length == 0) return tensor(0L);
            int d = Shape.Dim(dim, shp.Length, "argsort");
            var c = ContigF("argsort");
            var (outer, n, inner) = Reduce.Split(shp, d);
            var r = Empty(shp, ScalarType.Int64);
            var s = c.FSpan; var o = r.LSpan;
            var keys = new float[n]; var ids = new int[n];
            for (int a = 0; a < outer; a++)
                for (int j = 0; j < inner; j++)
                {
                    int b = a * n * inner + j;
                    for (int i = 0; i < n; i++) { keys[i] = s[b + i * inner]; ids[i] = i; }
                    // Stable: order by (key, original index); NaN sorts last as in PyTorch.
                    Array.Sort(ids, (x, y) =>
                    {
                        float kx = keys[x], ky = keys[y];
                        int cmp = float.IsNaN(kx) ? (float.IsNaN(ky) ? 0 : 1) : float.IsNaN(ky) ? -1 : kx.CompareTo(ky);
                        if (descending && !(float.IsNaN(kx) || float.IsNaN(ky))) cmp = -cmp;
                        return cmp != 0 ? cmp : x.CompareTo(y);
                    });
                    for (int i = 0; i < n; i++) o[b + i * inner] = ids[i];
                }
            return r;
        }

        /// <summary>The k largest (or smallest) entries along dim, sorted, with their indices.</summary>
        public (Tensor values, Tensor indexes) topk(int k, int dim = -1, bool largest = true, bool sorted = true)
        {
            int d = Shape.Dim(dim, shp.Length, "topk");
            if (k < 0 || k > shp[d]) throw new ArgumentException($"topk: k = {k} is out of range for dim {d} of size {shp[d]}.");
            var idx = argsort(d, descending: largest).narrow(d, 0, k).contiguous();
            return (gather(d, idx), idx);
        }

        /// <summary>Lower triangle (entries above the diagonal-th diagonal zeroed) of the last two dims.</summary>
        public Tensor tril(long diagonal = 0) => this * TriMask(diagonal, lower: true);
        public Tensor triu(long diagonal = 0) => this * TriMask(diagonal, lower: false);

        Tensor TriMask(long diagonal, bool lower)
        {
            if (shp.Length < 2) throw new ArgumentException($"{(lower ? "tril" : "triu")}: expected at least 2 dims, got shape {ShapeStr}.");
            int rows = shp[^2], cols = shp[^1];
            var m = Empty([rows, cols], ScalarType.Float32);
            var s = m.FSpan;
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    s[i * cols + j] = (lower ? j - i <= diagonal : j - i >= diagonal) ? 1 : 0;
            return dt == ScalarType.Float32 ? m : m.to(dt);
        }

        /// <summary>1-D: a square matrix with this on its diagonal; 2-D: the diagonal as 1-D.</summary>
        public Tensor diag(long diagonal = 0)
        {
            if (shp.Length == 1)
            {
                int n = shp[0], size = n + (int)Math.Abs(diagonal);
                var idxR = new long[n]; var idxC = new long[n];
                for (int i = 0; i < n; i++) { idxR[i] = i + (diagonal < 0 ? -diagonal : 0); idxC[i] = i + (diagonal > 0 ? diagonal : 0); }
                var z = zeros([size, size], dt);
                z[tensor(idxR), tensor(idxC)] = this;
                return z;
            }
            if (shp.Length == 2)
            {
                var rs = new List<long>(); var cs = new List<long>();
                for (long i = 0; i < shp[0]; i++) { long j = i + diagonal; if (j >= 0 && j < shp[1]) { rs.Add(i); cs.Add(j); } }
                return this[tensor(rs.ToArray()), tensor(cs.ToArray())];
            }
            throw new ArgumentException($"diag: expected a 1-D or 2-D tensor, got shape {ShapeStr}.");
        }

        public Tensor diagonal() => diag();
        public Tensor trace() => diag().sum();
    }

    public static (Tensor values, Tensor indices) sort(Tensor input, long dim = -1, bool descending = false) => input.sort(dim, descending);
    public static Tensor argsort(Tensor input, long dim = -1, bool descending = false) => input.argsort(dim, descending);
    public static (Tensor values, Tensor indexes) topk(Tensor input, int k, int dim = -1, bool largest = true, bool sorted = true) => input.topk(k, dim, largest, sorted);
    public static Tensor tril(Tensor input, long diagonal = 0) => input.tril(diagonal);
    public static Tensor triu(Tensor input, long diagonal = 0) => input.triu(diagonal);
    public static Tensor diag(Tensor input, long diagonal = 0) => input.diag(diagonal);
    public static Tensor trace(Tensor input) => input.trace();

    /// <summary>Coordinate grids from 1-D tensors; indexing "ij" (matrix, PyTorch's default) or "xy" (Cartesian).</summary>
    public static Tensor[] meshgrid(IEnumerable<Tensor> tensors, string indexing = "ij")
    {
        var list = tensors.ToList();
        foreach (var t in list) if (t.shp.Length != 1) throw new ArgumentException($"meshgrid: expected 1-D tensors, got shape {t.ShapeStr}.");
        bool xy = indexing == "xy";
        if (!xy && indexing != "ij") throw new ArgumentException($"meshgrid: indexing must be \"ij\" or \"xy\", got \"{indexing}\".");
        var sizes = list.Select(t => (long)t.shp[0]).ToArray();
        if (xy && sizes.Length >= 2) (sizes[0], sizes[1]) = (sizes[1], sizes[0]);
        var r = new Tensor[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            int pos = xy && i < 2 && list.Count >= 2 ? 1 - i : i;
            var shape = Enumerable.Repeat(1L, list.Count).ToArray();
            shape[pos] = list[i].shp[0];
            r[i] = list[i].reshape(shape).expand(sizes).contiguous();
        }
        return r;
    }

    /// <summary>Pairwise Euclidean distances between rows of x1 [N, D] and x2 [M, D] -> [N, M].</summary>
    public static Tensor cdist(Tensor x1, Tensor x2)
    {
        var d2 = x1.square().sum(-1, keepdim: true) + x2.square().sum(-1).unsqueeze(0) - 2 * x1.matmul(x2.t());
        return d2.clamp_min(0).sqrt();
    }
}
