using System.Numerics;
using System.Numerics.Tensors;

namespace Course.Torch;

using static torch;

internal delegate void SpanMap(ReadOnlySpan<float> x, Span<float> d);
internal delegate void SpanMap2(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d);

/// <summary>Elementwise maps over contiguous Float32 data (parallel only for large tensors) and fused kernels.</summary>
internal static class Unary
{
    public static Tensor Map(Tensor x, string name, SpanMap f)
    {
        var c = x.ContigF(name);
        var r = Tensor.Empty(x.shp);
        if (r.count <= Par.Threshold) f(c.FSpan, r.FSpan);
        else ParMap(c, r, f);
        return r;
    }

    static void ParMap(Tensor c, Tensor r, SpanMap f) => Par.For(r.count, (s, n) => f(c.FSpan.Slice(s, n), r.FSpan.Slice(s, n)));

    /// <summary>Same-shape two-input map (gradient kernels: g with a saved tensor).</summary>
    public static Tensor Map2(Tensor a, Tensor b, string name, SpanMap2 f)
    {
        var ca = a.ContigF(name);
        var cb = Shape.SameShape(b.shp, a.shp) ? b.ContigF(name) : Strided.Expand(b.ContigF(name), a.shp, name);
        var r = Tensor.Empty(a.shp);
        if (r.count <= Par.Threshold) f(ca.FSpan, cb.FSpan, r.FSpan);
        else ParMap2(ca, cb, r, f);
        return r;
    }

    static void ParMap2(Tensor a, Tensor b, Tensor r, SpanMap2 f)
        => Par.For(r.count, (s, n) => f(a.FSpan.Slice(s, n), b.FSpan.Slice(s, n), r.FSpan.Slice(s, n)));

    // ---- fused kernels ------------------------------------------------------------------------------------

    /// <summary>d = x > 0 ? g : 0.</summary>
    public static void ReluBackward(ReadOnlySpan<float> g, ReadOnlySpan<float> x, Span<float> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var gv = MemoryMarshalCast(g); var xv = MemoryMarshalCast(x); var dv = MemoryMarshalCastW(d);
            for (int k = 0; k < xv.Length; k++) dv[k] = Vector.ConditionalSelect(Vector.GreaterThan(xv[k], Vector<float>.Zero), gv[k], Vector<float>.Zero);
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < d.Length; i++) d[i] = x[i] > 0 ? g[i] : 0;
    }

    /// <summary>d = x > 0 ? x : slope * x.</summary>
    public static void LeakyRelu(ReadOnlySpan<float> x, float slope, Span<float> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshalCast(x); var dv = MemoryMarshalCastW(d);
            for (int k = 0; k < xv.Length; k++) dv[k] = Vector.ConditionalSelect(Vector.GreaterThan(xv[k], Vector<float>.Zero), xv[k], xv[k] * slope);
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < d.Length; i++) d[i] = x[i] > 0 ? x[i] : slope * x[i];
    }

    /// <summary>d = x > 0 ? g : slope * g.</summary>
    public static void LeakyReluBackward(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float slope, Span<float> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var gv = MemoryMarshalCast(g); var xv = MemoryMarshalCast(x); var dv = MemoryMarshalCastW(d);
            for (int k = 0; k < xv.Length; k++) dv[k] = Vector.ConditionalSelect(Vector.GreaterThan(xv[k], Vector<float>.Zero), gv[k], gv[k] * slope);
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < d.Length; i++) d[i] = x[i] > 0 ? g[i] : slope * g[i];
    }

    /// <summary>d = g * (1 - y*y) for y = tanh(x).</summary>
    public static void TanhBackward(ReadOnlySpan<float> g, ReadOnlySpan<float> y, Span<float> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var gv = MemoryMarshalCast(g); var yv = MemoryMarshalCast(y); var dv = MemoryMarshalCastW(d);
            for (int k = 0; k < yv.Length; k++) dv[k] = gv[k] * (Vector<float>.One - yv[k] * yv[k]);
            i = yv.Length * Vector<float>.Count;
        }
        for (; i < d.Length; i++) d[i] = g[i] * (1 - y[i] * y[i]);
    }

    /// <summary>d = g * y * (1 - y) for y = sigmoid(x).</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> g, ReadOnlySpan<float> y, Span<float> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var gv = MemoryMarshalCast(g); var yv = MemoryMarshalCast(y); var dv = MemoryMarshalCastW(d);
            for (int k = 0; k < yv.Length; k++) dv[k] = gv[k] * yv[k] * (Vector<float>.One - yv[k]);
            i = yv.Length * Vector<float>.Count;
        }
        for (; i < d.Length; i++) d[i] = g[i] * y[i] * (1 - y[i]);
    }

    static ReadOnlySpan<Vector<float>> MemoryMarshalCast(ReadOnlySpan<float> s)
        => System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector<float>>(s);
    static Span<Vector<float>> MemoryMarshalCastW(Span<float> s)
        => System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector<float>>(s);

    /// <summary>Numerically stable softplus with PyTorch's beta and threshold (linear above threshold).</summary>
    public static void Softplus(ReadOnlySpan<float> x, float beta, float threshold, Span<float> d)
    {
        for (int i = 0; i < d.Length; i++)
        {
            float bx = beta * x[i];
            d[i] = bx > threshold ? x[i] : (MathF.Max(bx, 0) + MathF.Log(1 + MathF.Exp(-MathF.Abs(bx)))) / beta;
        }
    }

    /// <summary>Error function, Abramowitz-Stegun 7.1.26 refined (|error| &lt; 1.5e-7), enough for float32.</summary>
    public static float Erf(float xf)
    {
        double x = xf;
        double t = 1.0 / (1.0 + 0.3275911 * Math.Abs(x));
        double y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return (float)(x >= 0 ? y : -y);
    }

    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
