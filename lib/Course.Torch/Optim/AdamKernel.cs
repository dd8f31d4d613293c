using System.Numerics;
using System.Runtime.InteropServices;

namespace Course.Torch;

/// <summary>
/// Adam's update in one SIMD pass over p, g, m, v (and vmax): reads each array once, writes p, m, v once, allocates
/// nothing. g' = sign g + l2 p; m = b1 m + (1 - b1) g'; v = b2 v + (1 - b2) g'^2;
/// p = decay p - stepSize m / (sqrt(v' invBc2) + eps) with v' = v or max(vmax, v).
/// </summary>
internal static class AdamKernel
{
    public static void Step(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, Span<float> vmax, bool amsgrad,
        float gradSign, float l2, float decay, float b1, float b2, float invBc2, float stepSize, float eps)
    {
        int n = p.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var vp = MemoryMarshal.Cast<float, Vector<float>>(p);
            var vg = MemoryMarshal.Cast<float, Vector<float>>(g);
            var vm = MemoryMarshal.Cast<float, Vector<float>>(m);
            var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
            var vx = amsgrad ? MemoryMarshal.Cast<float, Vector<float>>(vmax) : default;
            Vector<float> sgn = new(gradSign), wl2 = new(l2), dec = new(decay), B1 = new(b1), C1 = new(1 - b1), B2 = new(b2), C2 = new(1 - b2),
                ib = new(invBc2), ss = new(stepSize), ep = new(eps);
            for (int k = 0; k < vp.Length; k++)
            {
                var pk = vp[k];
                var gk = vg[k] * sgn + wl2 * pk;
                var mk = B1 * vm[k] + C1 * gk;
                var vk = B2 * vv[k] + C2 * gk * gk;
                vm[k] = mk; vv[k] = vk;
                if (amsgrad) { vk = Vector.Max(vx[k], vk); vx[k] = vk; }
                vp[k] = dec * pk - ss * mk / (Vector.SquareRoot(vk * ib) + ep);
            }
            i = vp.Length * Vector<float>.Count;
        }
        for (; i < n; i++)
        {
            float pk = p[i];
            float gk = g[i] * gradSign + l2 * pk;
            float mk = b1 * m[i] + (1 - b1) * gk;
            float vk = b2 * v[i] + (1 - b2) * gk * gk;
            m[i] = mk; v[i] = vk;
            if (amsgrad) { vk = MathF.Max(vmax[i], vk); vmax[i] = vk; }
            p[i] = decay * pk - stepSize * mk / (MathF.Sqrt(vk * invBc2) + eps);
        }
    }
}
