namespace Course.Torch;

/// <summary>Shape arithmetic: strides, element counts, dim normalisation and broadcasting, with named errors.</summary>
internal static class Shape
{
    public static readonly int[] Scalar = [];

    public static int Numel(int[] shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        if (n > int.MaxValue) throw new ArgumentException($"tensor of shape {Str(shape)} has {n} elements; at most {int.MaxValue} are supported.");
        return (int)n;
    }

    public static int[] ContiguousStrides(int[] shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= Math.Max(shape[i], 1); }
        return s;
    }

    public static bool IsContiguous(int[] shape, int[] strides)
    {
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 1) continue;
            if (strides[i] != acc) return false;
            acc *= shape[i];
        }
        return true;
    }

    public static int[] FromLong(ReadOnlySpan<long> dims, string op)
    {
        var s = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0 || dims[i] > int.MaxValue) throw new ArgumentException($"{op}: invalid size {dims[i]} at dim {i} in {Str(dims)}.");
            s[i] = (int)dims[i];
        }
        return s;
    }

    public static long[] ToLong(int[] s)
    {
        var r = new long[s.Length];
        for (int i = 0; i < s.Length; i++) r[i] = s[i];
        return r;
    }

    /// <summary>Wraps a possibly negative dim into [0, rank), or throws naming the op, the dim and the rank.</summary>
    public static int Dim(long dim, int rank, string op)
    {
        int r = Math.Max(rank, 1);
        if (dim < -r || dim >= r)
            throw new ArgumentOutOfRangeException(nameof(dim), $"{op}: dim {dim} is out of range for a tensor of rank {rank} (expected in [{-r}, {r - 1}]).");
        return (int)(dim < 0 ? dim + r : dim);
    }

    public static bool SameShape(int[] a, int[] b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
        return true;
    }

    public static int[] Broadcast(int[] a, int[] b, string op)
    {
        if (SameShape(a, b)) return a;
        int n = Math.Max(a.Length, b.Length);
        var r = new int[n];
        for (int i = 0; i < n; i++)
        {
            int da = i < n - a.Length ? 1 : a[i - (n - a.Length)];
            int db = i < n - b.Length ? 1 : b[i - (n - b.Length)];
            if (da == db || db == 1) r[i] = da;
            else if (da == 1) r[i] = db;
            else throw new ArgumentException($"{op}: shapes {Str(a)} and {Str(b)} cannot broadcast.");
        }
        return r;
    }

    /// <summary>Strides that read a tensor of shape/strides as if it had the (broadcast) shape target.</summary>
    public static int[] BroadcastStrides(int[] shape, int[] strides, int[] target, string op)
    {
        var r = new int[target.Length];
        int off = target.Length - shape.Length;
        if (off < 0) throw new ArgumentException($"{op}: cannot expand shape {Str(shape)} to {Str(target)}.");
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == target[i + off]) r[i + off] = strides[i];
            else if (shape[i] == 1) r[i + off] = 0;
            else throw new ArgumentException($"{op}: cannot expand shape {Str(shape)} to {Str(target)}.");
        }
        return r;
    }

    public static string Str(int[] s) => "[" + string.Join(", ", s) + "]";
    public static string Str(ReadOnlySpan<long> s) => "[" + string.Join(", ", s.ToArray()) + "]";
}
