namespace Course.Torch;

using static torch;

/// <summary>Anomaly mode's check: throws naming the op and the phase whose values are not finite.</summary>
internal static class Anomaly
{
    public static void Check(Tensor t, string op, string phase)
    {
        if (t.dt != ScalarType.Float32) return;
        var c = t.contig ? t : Strided.Contiguous(t);
        var s = c.FSpan;
        for (int i = 0; i < s.Length; i++)
        {
            if (!float.IsFinite(s[i]))
                throw new ArithmeticException($"anomaly: '{op}' produced {(float.IsNaN(s[i]) ? "NaN" : "Inf")} in its {phase} (shape {t.ShapeStr}, first at flat index {i}).");
        }
    }
}
