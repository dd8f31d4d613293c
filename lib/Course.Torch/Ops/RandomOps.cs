namespace Course.Torch;

public static partial class torch
{
    static Generator Gen(Generator? g) => g ?? DefaultGenerator;

    public static Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null)
    {
        var t = Tensor.Empty(Shape.FromLong(size, "rand"));
        Gen(generator).FillUniform(t.FSpan, 0, 1);
        return Finish(t, dtype, requires_grad);
    }
    public static Tensor rand(long d0, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => rand([d0], dtype, device, requires_grad, generator);
    public static Tensor rand(long d0, long d1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => rand([d0, d1], dtype, device, requires_grad, generator);
    public static Tensor rand(long d0, long d1, long d2, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => rand([d0, d1, d2], dtype, device, requires_grad, generator);
    public static Tensor rand(long d0, long d1, long d2, long d3, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => rand([d0, d1, d2, d3], dtype, device, requires_grad, generator);

    public static Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null)
    {
        var t = Tensor.Empty(Shape.FromLong(size, "randn"));
        Gen(generator).FillNormal(t.FSpan, 0, 1);
        return Finish(t, dtype, requires_grad);
    }
    public static Tensor randn(long d0, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => randn([d0], dtype, device, requires_grad, generator);
    public static Tensor randn(long d0, long d1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => randn([d0, d1], dtype, device, requires_grad, generator);
    public static Tensor randn(long d0, long d1, long d2, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => randn([d0, d1, d2], dtype, device, requires_grad, generator);
    public static Tensor randn(long d0, long d1, long d2, long d3, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => randn([d0, d1, d2, d3], dtype, device, requires_grad, generator);

    public static Tensor rand_like(Tensor t, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => rand(t.shape, dtype, device, requires_grad, generator);
    public static Tensor randn_like(Tensor t, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null) => randn(t.shape, dtype, device, requires_grad, generator);

    /// <summary>Integers uniform in [0, high) (Int64 unless dtype says otherwise).</summary>
    public static Tensor randint(long high, long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null)
        => randint(0, high, size, dtype, device, requires_grad, generator);

    public static Tensor randint(long low, long high, long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null)
    {
        if (high <= low) throw new ArgumentException($"randint: high ({high}) must be greater than low ({low}).");
        var t = Tensor.Empty(Shape.FromLong(size, "randint"), ScalarType.Int64);
        var g = Gen(generator);
        var s = t.LSpan;
        for (int i = 0; i < s.Length; i++) s[i] = low + g.NextLong(high - low);
        return Finish(t, dtype, requires_grad);
    }

    public static Tensor randint(long high, (long, long) size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null)
        => randint(0, high, [size.Item1, size.Item2], dtype, device, requires_grad, generator);

    public static Tensor randint_like(Tensor t, long low, long high, ScalarType? dtype = null, Generator? generator = null)
        => randint(low, high, t.shape, dtype ?? t.dt, generator: generator);

    /// <summary>A random permutation of 0..n-1 (Fisher-Yates).</summary>
    public static Tensor randperm(long n, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null)
    {
        var t = arange(n);
        var s = t.LSpan;
        var g = Gen(generator);
        for (int i = s.Length - 1; i > 0; i--)
        {
            int j = (int)g.NextLong(i + 1);
            (s[i], s[j]) = (s[j], s[i]);
        }
        return Finish(t, dtype, requires_grad);
    }

    /// <summary>Draws 0/1 with the given probabilities (Float32 result, as PyTorch).</summary>
    public static Tensor bernoulli(Tensor input, Generator? generator = null)
    {
        var p = input.ContigF("bernoulli");
        var r = Tensor.Empty(input.shp);
        var g = Gen(generator);
        var ps = p.FSpan; var d = r.FSpan;
        for (int i = 0; i < d.Length; i++) d[i] = g.NextFloat() < ps[i] ? 1f : 0f;
        return r;
    }

    public static Tensor bernoulli(Tensor input, double p, Generator? generator = null)
    {
        var r = Tensor.Empty(input.shp);
        var g = Gen(generator);
        var d = r.FSpan;
        for (int i = 0; i < d.Length; i++) d[i] = g.NextFloat() < p ? 1f : 0f;
        return r;
    }

    /// <summary>Samples indices from the rows of (unnormalised, non-negative) weights: [C] or [N, C] -> Int64 [k] / [N, k].</summary>
    public static Tensor multinomial(Tensor input, long num_samples, bool replacement = false, Generator? generator = null)
    {
        if (input.shp.Length is not (1 or 2)) throw new ArgumentException($"multinomial: expected a 1-D or 2-D weight tensor, got shape {input.ShapeStr}.");
        var w = input.ContigF("multinomial");
        int rows = input.shp.Length == 1 ? 1 : input.shp[0];
        int c = input.shp[^1];
        if (!replacement && num_samples > c) throw new ArgumentException($"multinomial: cannot draw {num_samples} samples without replacement from {c} categories.");
        var r = Tensor.Empty(input.shp.Length == 1 ? [(int)num_samples] : [rows, (int)num_samples], ScalarType.Int64);
        var g = Gen(generator);
        var cdf = new double[c];
        var ws = w.FSpan; var rs = r.LSpan;
        var row = new double[c];
        for (int n = 0; n < rows; n++)
        {
            for (int j = 0; j < c; j++)
            {
                float v = ws[n * c + j];
                if (!(v >= 0) || float.IsInfinity(v)) throw new ArgumentException($"multinomial: weights must be finite and non-negative; row {n} has {v} at {j}.");
                row[j] = v;
            }
            for (int s = 0; s < num_samples; s++)
            {
                double total = 0;
                for (int j = 0; j < c; j++) { total += row[j]; cdf[j] = total; }
                if (total <= 0) throw new ArgumentException($"multinomial: row {n} has no positive weight left to sample from.");
                double u = g.NextDoubleOpen() * total;
                int k = Array.BinarySearch(cdf, u);
                if (k < 0) k = ~k;
                while (k < c - 1 && row[k] == 0) k++;
                rs[n * (int)num_samples + s] = k;
                if (!replacement) row[k] = 0;
            }
        }
        return r;
    }

    /// <summary>Normal samples with tensor mean and std (broadcast), differentiable through mean and std.</summary>
    public static Tensor normal(Tensor mean, Tensor std, Generator? generator = null)
    {
        var shape = Shape.Broadcast(mean.shp, std.shp, "normal");
        return mean + std * randn(Shape.ToLong(shape), generator: generator);
    }

    public static Tensor normal(double mean, double std, long[] size, Generator? generator = null)
        => randn(size, generator: generator) * std + mean;

    public partial class Tensor
    {
        /// <summary>Fills in place with normal samples.</summary>
        public Tensor normal_(double mean = 0, double std = 1, Generator? generator = null)
        {
            CheckInPlaceLeaf("normal_");
            var tmp = Empty(shp);
            Gen(generator).FillNormal(tmp.FSpan, (float)mean, (float)std);
            return WriteFrom(tmp);
        }

        /// <summary>Fills in place with uniform samples in [from, to).</summary>
        public Tensor uniform_(double from = 0, double to = 1, Generator? generator = null)
        {
            CheckInPlaceLeaf("uniform_");
            var tmp = Empty(shp);
            Gen(generator).FillUniform(tmp.FSpan, (float)from, (float)to);
            return WriteFrom(tmp);
        }

        public Tensor bernoulli_(double p = 0.5, Generator? generator = null)
        {
            CheckInPlaceLeaf("bernoulli_");
            return WriteFrom(torch.bernoulli(this, p, generator));
        }

        public Tensor exponential_(double lambd = 1, Generator? generator = null)
        {
            CheckInPlaceLeaf("exponential_");
            var tmp = Empty(shp);
            var g = Gen(generator); var d = tmp.FSpan;
            for (int i = 0; i < d.Length; i++) d[i] = (float)(-Math.Log(g.NextDoubleOpen()) / lambd);
            return WriteFrom(tmp);
        }

        public Tensor random_(long from, long to, Generator? generator = null)
        {
            CheckInPlaceLeaf("random_");
            return WriteFrom(randint(from, to, shape, generator: generator));
        }

        public Tensor bernoulli(Generator? generator = null) => torch.bernoulli(this, generator);
        public Tensor multinomial(long num_samples, bool replacement = false, Generator? generator = null) => torch.multinomial(this, num_samples, replacement, generator);
    }
}
