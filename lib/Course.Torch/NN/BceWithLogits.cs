using System.Buffers;
using System.Numerics.Tensors;

namespace Course.Torch;

using static torch;

/// <summary>
/// Fused binary cross-entropy on logits: one graph node, vectorized, stable for any |x|:
/// l = (1 - y) x + c softplus(-x) with c = 1 + (pos_weight - 1) y, softplus(-x) = max(-x, 0) + log1p(exp(-|x|));
/// dl/dx = (1 - y) - c sigmoid(-x) (= sigmoid(x) - y without pos_weight). Used when only the logits need
/// gradients, which is every VAE, PixelCNN and GAN step; otherwise the loss is composed from ops.
/// </summary>
internal static class BceWithLogits
{
    public static Tensor Forward(Tensor input, Tensor target, Tensor? weight, nn.Reduction reduction, Tensor? posWeight)
    {
        const string op = "binary_cross_entropy_with_logits";
        if (!Shape.SameShape(input.shp, target.shp))
            throw new ArgumentException($"{op}: target shape {target.ShapeStr} must equal input shape {input.ShapeStr}.");
        input.CheckFloat(op);
        bool fused = !target.needsGrad && (weight is null || !weight.needsGrad) && (posWeight is null || !posWeight.needsGrad);
        if (!fused) return Composed(input, target, weight, reduction, posWeight);

        var x = input.ContigF(op); var y = target.ContigF(op);
        var w = weight is null ? null : Expand(weight, x.shp, op, "weight");
        var pw = posWeight is null ? null : Expand(posWeight, x.shp, op, "pos_weights");
        int n = x.count;
        var buf = ArrayPool<float>.Shared.Rent(2 * Math.Max(n, 1));
        Tensor result;
        try
        {
            var loss = buf.AsSpan(0, n); var tmp = buf.AsSpan(n, n);
            Elementwise(x.FSpan, y.FSpan, pw is null ? default : pw.FSpan, pw is not null, loss, tmp);
            if (w is not null) TensorPrimitives.Multiply(loss, w.FSpan, loss);
            if (reduction == nn.Reduction.None)
            {
                result = Tensor.Empty(x.shp);
                loss.CopyTo(result.FSpan);
            }
            else
            {
                double s = TensorPrimitives.Sum(loss);
                result = tensor((float)(reduction == nn.Reduction.Mean ? s / Math.Max(n, 1) : s));
            }
        }
        finally { ArrayPool<float>.Shared.Return(buf); }

        if (Autograd.Needs(input))
        {
            var shape = x.shp; var red = reduction;
            Autograd.Record(op, result, input, g =>
            {
                var d = Tensor.Empty(shape);
                var ds = d.FSpan;
                Gradient(x.FSpan, y.FSpan, pw is null ? default : pw.FSpan, pw is not null, ds);
                if (w is not null) TensorPrimitives.Multiply(ds, w.FSpan, ds);
                var gc = g.ContigF(op);
                if (red == nn.Reduction.None) TensorPrimitives.Multiply(ds, gc.FSpan, ds);
                else
                {
                    float scale = gc.FSpan[0] / (red == nn.Reduction.Mean ? Math.Max(n, 1) : 1);
                    TensorPrimitives.Multiply(ds, scale, ds);
                }
                return d;
            }).Save(x).Save(y);
        }
        return result;
    }

    static Tensor Expand(Tensor t, int[] shape, string op, string what)
    {
        if (Shape.SameShape(t.shp, shape)) return t.ContigF(op);
        try { return Strided.Expand(t.ContigF(op), shape, op); }
        catch (ArgumentException) { throw new ArgumentException($"{op}: {what} of shape {t.ShapeStr} does not broadcast to the input shape {Shape.Str(shape)}."); }
    }

    /// <summary>loss[i] for every element; tmp is scratch of the same length.</summary>
    static void Elementwise(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> pw, bool hasPw, Span<float> loss, Span<float> tmp)
    {
        // tmp = softplus(-x) = max(-x, 0) + log1p(exp(-|x|))
        TensorPrimitives.Abs(x, tmp);
        TensorPrimitives.Negate(tmp, tmp);
        TensorPrimitives.Exp(tmp, tmp);
        TensorPrimitives.LogP1(tmp, tmp);
        TensorPrimitives.Negate(x, loss);
        TensorPrimitives.Max(loss, 0f, loss);
        TensorPrimitives.Add(tmp, loss, tmp);
        if (hasPw)
        {
            // c = 1 + (pw - 1) y; loss = (1 - y) x + c tmp
            for (int i = 0; i < loss.Length; i++)
            {
                float c = 1 + (pw[i] - 1) * y[i];
                loss[i] = (1 - y[i]) * x[i] + c * tmp[i];
            }
        }
        else
        {
            // loss = x - x y + softplus(-x)
            TensorPrimitives.Multiply(x, y, loss);
            TensorPrimitives.Subtract(x, loss, loss);
            TensorPrimitives.Add(loss, tmp, loss);
        }
    }

    static void Gradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> pw, bool hasPw, Span<float> d)
    {
        if (!hasPw)
        {
            TensorPrimitives.Sigmoid(x, d);
            TensorPrimitives.Subtract(d, y, d);
            return;
        }
        for (int i = 0; i < d.Length; i++)
        {
            float c = 1 + (pw[i] - 1) * y[i];
            float sNeg = 1f / (1f + MathF.Exp(x[i]));
            d[i] = (1 - y[i]) - c * sNeg;
        }
    }

    /// <summary>The same loss from differentiable ops, for when the target or weights need gradients too.</summary>
    public static Tensor Composed(Tensor input, Tensor target, Tensor? weight, nn.Reduction reduction, Tensor? posWeight)
    {
        var spNeg = (-input).clamp_min(0) + (-input.abs()).exp().log1p();
        var loss = posWeight is null
            ? input - input * target + spNeg
            : (1 - target) * input + (1 + (posWeight - 1) * target) * spNeg;
        if (weight is not null) loss = loss * weight;
        return Losses.Reduce(loss, reduction);
    }
}
