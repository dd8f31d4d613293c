namespace Course.Torch;

public static partial class torch
{
    // ---- helpers ------------------------------------------------------------------------------------------

    static Tensor Finish(Tensor t, ScalarType? dtype, bool requires_grad)
    {
        if (dtype is { } d && d != t.dt) t = Strided.Convert(t, d);
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    static Tensor Filled(long[] size, double value, ScalarType dtype, bool requires_grad, string op)
    {
        var shape = Shape.FromLong(size, op);
        var t = Tensor.Empty(shape, dtype, zero: value == 0);
        if (value != 0)
        {
            switch (dtype)
            {
                case ScalarType.Float32: t.FSpan.Fill((float)value); break;
                case ScalarType.Int64: t.LSpan.Fill((long)value); break;
                default: t.BSpan.Fill(value != 0); break;
            }
        }
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    // ---- zeros / ones / empty / full ----------------------------------------------------------------------

    public static Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => Filled(size, 0, dtype ?? ScalarType.Float32, requires_grad, "zeros");
    public static Tensor zeros(long size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => zeros([size], dtype, device, requires_grad);
    public static Tensor zeros(long d0, long d1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => zeros([d0, d1], dtype, device, requires_grad);
    public static Tensor zeros(long d0, long d1, long d2, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => zeros([d0, d1, d2], dtype, device, requires_grad);
    public static Tensor zeros(long d0, long d1, long d2, long d3, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => zeros([d0, d1, d2, d3], dtype, device, requires_grad);

    public static Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => Filled(size, 1, dtype ?? ScalarType.Float32, requires_grad, "ones");
    public static Tensor ones(long size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => ones([size], dtype, device, requires_grad);
    public static Tensor ones(long d0, long d1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => ones([d0, d1], dtype, device, requires_grad);
    public static Tensor ones(long d0, long d1, long d2, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => ones([d0, d1, d2], dtype, device, requires_grad);
    public static Tensor ones(long d0, long d1, long d2, long d3, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => ones([d0, d1, d2, d3], dtype, device, requires_grad);

    /// <summary>Uninitialised memory in TorchSharp; zeros here (managed arrays), which is a valid "empty".</summary>
    public static Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => zeros(size, dtype, device, requires_grad);
    public static Tensor empty(long size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => zeros([size], dtype, device, requires_grad);
    public static Tensor empty(long d0, long d1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => zeros([d0, d1], dtype, device, requires_grad);
    public static Tensor empty(long d0, long d1, long d2, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => zeros([d0, d1, d2], dtype, device, requires_grad);
    public static Tensor empty(long d0, long d1, long d2, long d3, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => zeros([d0, d1, d2, d3], dtype, device, requires_grad);

    public static Tensor full(long[] size, double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => Filled(size, value, dtype ?? ScalarType.Float32, requires_grad, "full");
    public static Tensor full(long size, double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => full([size], value, dtype, device, requires_grad);
    public static Tensor full(long d0, long d1, double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => full([d0, d1], value, dtype, device, requires_grad);
    public static Tensor full(long d0, long d1, long d2, double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => full([d0, d1, d2], value, dtype, device, requires_grad);

    public static Tensor zeros_like(Tensor t, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Filled(t.shape, 0, dtype ?? t.dt, requires_grad, "zeros_like");
    public static Tensor ones_like(Tensor t, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Filled(t.shape, 1, dtype ?? t.dt, requires_grad, "ones_like");
    public static Tensor empty_like(Tensor t, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Filled(t.shape, 0, dtype ?? t.dt, requires_grad, "empty_like");
    public static Tensor full_like(Tensor t, double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Filled(t.shape, value, dtype ?? t.dt, requires_grad, "full_like");

    public static Tensor eye(long n, long m = -1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        if (m < 0) m = n;
        var t = zeros([n, m], ScalarType.Float32);
        var s = t.FSpan;
        for (long i = 0; i < Math.Min(n, m); i++) s[(int)(i * m + i)] = 1;
        return Finish(t, dtype, requires_grad);
    }

    // ---- ranges -----------------------------------------------------------------------------------------

    public static Tensor arange(long stop, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => arange(0L, stop, 1L, dtype, device, requires_grad);

    public static Tensor arange(long start, long stop, long step = 1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        if (step == 0) throw new ArgumentException("arange: step must be nonzero.");
        long n = Math.Max(0, (stop - start + step - Math.Sign(step)) / step);
        var t = Tensor.Empty([(int)n], ScalarType.Int64);
        var s = t.LSpan;
        for (int i = 0; i < n; i++) s[i] = start + i * step;
        return Finish(t, dtype, requires_grad);
    }

    public static Tensor arange(double stop, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => arange(0.0, stop, 1.0, dtype, device, requires_grad);

    public static Tensor arange(double start, double stop, double step = 1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        if (step == 0) throw new ArgumentException("arange: step must be nonzero.");
        long n = (long)Math.Max(0, Math.Ceiling((stop - start) / step));
        var t = Tensor.Empty([(int)n]);
        var s = t.FSpan;
        for (int i = 0; i < n; i++) s[i] = (float)(start + i * step);
        return Finish(t, dtype, requires_grad);
    }

    public static Tensor linspace(double start, double end, long steps, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        if (steps < 0) throw new ArgumentException($"linspace: steps must be non-negative, got {steps}.");
        var t = Tensor.Empty([(int)steps]);
        var s = t.FSpan;
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        // Symmetric evaluation as PyTorch: the last element is exactly end.
        long half = steps / 2;
        for (long i = 0; i < steps; i++) s[(int)i] = (float)(i < half ? start + step * i : end - step * (steps - 1 - i));
        return Finish(t, dtype, requires_grad);
    }

    public static Tensor logspace(double start, double end, long steps, double @base = 10, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => Finish(pow(@base, linspace(start, end, steps)), dtype, requires_grad);

    // ---- from data ------------------------------------------------------------------------------------------

    public static Tensor tensor(float v, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Finish(Tensor.FromArray([v], Shape.Scalar), dtype, requires_grad);
    public static Tensor tensor(double v, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Finish(Tensor.FromArray([(float)v], Shape.Scalar), dtype, requires_grad);
    public static Tensor tensor(long v, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Finish(Tensor.FromArray([v], Shape.Scalar), dtype, requires_grad);
    public static Tensor tensor(int v, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Finish(Tensor.FromArray([(long)v], Shape.Scalar), dtype, requires_grad);
    public static Tensor tensor(bool v, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Finish(Tensor.FromArray([v], Shape.Scalar), dtype, requires_grad);
    public static Tensor scalar_tensor(double v, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => tensor(v, dtype, device, requires_grad);

    /// <summary>Copies the data (as PyTorch's torch.tensor): later writes to the array do not show in the tensor.</summary>
    public static Tensor tensor(float[] data, long[] dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => Finish(Tensor.FromArray((float[])data.Clone(), Dims(data.Length, dimensions)), dtype, requires_grad);
    public static Tensor tensor(float[] data, ReadOnlySpan<long> dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => tensor(data, dimensions.ToArray(), dtype, device, requires_grad);
    public static Tensor tensor(float[] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => Finish(Tensor.FromArray((float[])data.Clone(), [data.Length]), dtype, requires_grad);
    public static Tensor tensor(IList<float> data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => tensor(data.ToArray(), dtype, device, requires_grad);
    public static Tensor tensor(double[] data, long[] dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => tensor(Array.ConvertAll(data, v => (float)v), dimensions, dtype, device, requires_grad);
    /// <summary>Float64 data becomes Float32 (the engine computes in float32).</summary>
    public static Tensor tensor(double[] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => tensor(Array.ConvertAll(data, v => (float)v), dtype, device, requires_grad);
    public static Tensor tensor(long[] data, long[] dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => Finish(Tensor.FromArray((long[])data.Clone(), Dims(data.Length, dimensions)), dtype, requires_grad);
    public static Tensor tensor(long[] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => Finish(Tensor.FromArray((long[])data.Clone(), [data.Length]), dtype, requires_grad);
    public static Tensor tensor(int[] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => tensor(Array.ConvertAll(data, v => (long)v), dtype, device, requires_grad);
    public static Tensor tensor(int[] data, long[] dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => tensor(Array.ConvertAll(data, v => (long)v), dimensions, dtype, device, requires_grad);
    public static Tensor tensor(bool[] data, long[] dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => Finish(Tensor.FromArray((bool[])data.Clone(), Dims(data.Length, dimensions)), dtype, requires_grad);
    public static Tensor tensor(bool[] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => Finish(Tensor.FromArray((bool[])data.Clone(), [data.Length]), dtype, requires_grad);
    public static Tensor tensor(float[,] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Finish(from_array(data), dtype, requires_grad);
    public static Tensor tensor(float[,,] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Finish(from_array(data), dtype, requires_grad);
    public static Tensor tensor(float[,,,] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Finish(from_array(data), dtype, requires_grad);
    public static Tensor tensor(double[,] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Finish(from_array(data), dtype, requires_grad);
    public static Tensor tensor(long[,] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Finish(from_array(data), dtype, requires_grad);
    public static Tensor tensor(int[,] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Finish(from_array(data), dtype, requires_grad);
    public static Tensor tensor(bool[,] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Finish(from_array(data), dtype, requires_grad);

    static int[] Dims(int length, long[] dims)
    {
        var shape = Shape.FromLong(dims, "tensor");
        long n = 1; foreach (var d in dims) n *= d;
        if (n != length) throw new ArgumentException($"tensor: {length} values do not fill shape {Shape.Str(dims)} ({n} elements).");
        return shape;
    }

    /// <summary>Any-rank .NET array of float, double, long, int, byte or bool; the data is copied.</summary>
    public static Tensor from_array(Array array, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var shape = new int[array.Rank];
        for (int i = 0; i < shape.Length; i++) shape[i] = array.GetLength(i);
        Tensor t;
        switch (array)
        {
            case float[] f: t = Tensor.FromArray((float[])f.Clone(), shape); break;
            case long[] l: t = Tensor.FromArray((long[])l.Clone(), shape); break;
            case bool[] b: t = Tensor.FromArray((bool[])b.Clone(), shape); break;
            default:
                var et = array.GetType().GetElementType();
                if (et == typeof(float)) { var d = new float[array.Length]; int i = 0; foreach (float v in array) d[i++] = v; t = Tensor.FromArray(d, shape); }
                else if (et == typeof(double)) { var d = new float[array.Length]; int i = 0; foreach (double v in array) d[i++] = (float)v; t = Tensor.FromArray(d, shape); }
                else if (et == typeof(long)) { var d = new long[array.Length]; int i = 0; foreach (long v in array) d[i++] = v; t = Tensor.FromArray(d, shape); }
                else if (et == typeof(int)) { var d = new long[array.Length]; int i = 0; foreach (int v in array) d[i++] = v; t = Tensor.FromArray(d, shape); }
                else if (et == typeof(byte)) { var d = new float[array.Length]; int i = 0; foreach (byte v in array) d[i++] = v; t = Tensor.FromArray(d, shape); }
                else if (et == typeof(bool)) { var d = new bool[array.Length]; int i = 0; foreach (bool v in array) d[i++] = v; t = Tensor.FromArray(d, shape); }
                else throw new ArgumentException($"from_array: element type {et} is not supported (float, double, long, int, byte, bool).");
                break;
        }
        return Finish(t, dtype, requires_grad);
    }

    public static Tensor as_tensor(Array array, ScalarType? dtype = null, Device? device = null) => from_array(array, dtype, device);
}
