using TorchSharp;
using static TorchSharp.torch;

namespace Course.Lab;

/// <summary>
/// Reads tensor values for the course helpers. The engine's <c>data&lt;T&gt;()</c> is strict (T must be the dtype's own
/// element type, as in TorchSharp), so every helper that takes a tensor comes through here: Int64 and Bool are
/// converted explicitly (Bool as 0/1), and anything else fails naming the helper, the dtype and the shape.
/// </summary>
internal static class TensorValues
{
    /// <summary>All values as doubles, row-major: Float32 as is, Int64 exactly (up to 2^53), Bool as 0/1.</summary>
    internal static double[] Doubles(torch.Tensor t, string op)
    {
        ArgumentNullException.ThrowIfNull(t, op);
        return t.dtype switch
        {
            ScalarType.Float32 => Array.ConvertAll(t.data<float>().ToArray(), v => (double)v),
            ScalarType.Int64 => Array.ConvertAll(t.data<long>().ToArray(), v => (double)v),
            ScalarType.Bool => Array.ConvertAll(t.data<bool>().ToArray(), v => v ? 1.0 : 0.0),
            _ => throw Unsupported(t, op, "numbers"),
        };
    }

    /// <summary>All values as floats, row-major: Float32 as is, Int64 rounded to the nearest float, Bool as 0/1.</summary>
    internal static float[] Floats(torch.Tensor t, string op)
    {
        ArgumentNullException.ThrowIfNull(t, op);
        return t.dtype switch
        {
            ScalarType.Float32 => t.data<float>().ToArray(),
            ScalarType.Int64 => Array.ConvertAll(t.data<long>().ToArray(), v => (float)v),
            ScalarType.Bool => Array.ConvertAll(t.data<bool>().ToArray(), v => v ? 1f : 0f),
            _ => throw Unsupported(t, op, "numbers"),
        };
    }

    /// <summary>
    /// Integer labels: Int64 as is, Bool as 0/1 (so true is the positive class 1), Float32 only when every value is a
    /// whole number (e.g. <c>y.to(float32)</c>); a fractional value is an error naming its index.
    /// </summary>
    internal static long[] Labels(torch.Tensor t, string op)
    {
        ArgumentNullException.ThrowIfNull(t, op);
        switch (t.dtype)
        {
            case ScalarType.Int64:
                return t.data<long>().ToArray();
            case ScalarType.Bool:
                return Array.ConvertAll(t.data<bool>().ToArray(), v => v ? 1L : 0L);
            case ScalarType.Float32:
                var values = t.data<float>().ToArray();
                var labels = new long[values.Length];
                for (int i = 0; i < values.Length; i++)
                {
                    float v = values[i];
                    if (!float.IsFinite(v) || v != MathF.Round(v) || Math.Abs(v) > 1e15f)
                        throw new ArgumentException(
                            $"{op}: labels must be integers; the Float32 label tensor (shape {Shape(t)}) has {v} at index {i}. " +
                            "Pass int64 labels (e.g. y.@long() or argmax(1)) or bool ones.");
                    labels[i] = (long)v;
                }
                return labels;
            default:
                throw Unsupported(t, op, "integer labels");
        }
    }

    /// <summary>The single value of a one-element tensor as a double (any dtype but Bool, which is not a number here).</summary>
    internal static double Scalar(torch.Tensor t, string op)
    {
        ArgumentNullException.ThrowIfNull(t, op);
        if (t.numel() != 1)
            throw new ArgumentException($"{op}: expected a one-element tensor, got shape {Shape(t)} ({t.numel()} elements); reduce it first (e.g. .mean()).");
        if (t.dtype == ScalarType.Bool)
            throw new ArgumentException($"{op}: expected a number, got a Bool tensor (shape {Shape(t)}); convert it with .to(float32) if you mean 0/1.");
        return Doubles(t, op)[0];
    }

    internal static string Shape(torch.Tensor t) => "[" + string.Join(", ", t.shape) + "]";

    private static ArgumentException Unsupported(torch.Tensor t, string op, string what) =>
        new($"{op}: cannot read {what} from a {t.dtype} tensor (shape {Shape(t)}); use Float32, Int64 or Bool (convert with .to(float32)).");
}
