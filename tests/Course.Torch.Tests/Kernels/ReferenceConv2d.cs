using Course.Torch.Kernels;

namespace Course.Torch.Tests.Kernels;

/// <summary>
/// The original direct-loop convolution kernels, kept as oracles. Sums run in double and each output also
/// gets sum |term| so tests can use a tolerance relative to the magnitude of what was added.
/// </summary>
internal static class ReferenceConv2d
{
    public static (float[] Y, double[] Mag) Forward(in Conv2dGeometry g, float[] x, float[] w, float[]? bias)
    {
        var y = new float[g.OutputSize];
        var mag = new double[g.OutputSize];
        int oh = g.OutH, ow = g.OutW, cg = g.C / g.Groups, kg = g.K / g.Groups;
        for (int n = 0; n < g.N; n++)
        for (int k = 0; k < g.K; k++)
        {
            int grp = k / kg;
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                double sum = bias is null ? 0 : bias[k], m = Math.Abs(sum);
                for (int c = 0; c < cg; c++)
                for (int r = 0; r < g.R; r++)
                {
                    int hi = i * g.StrideH - g.PadH + r * g.DilH;
                    if ((uint)hi >= (uint)g.H) continue;
                    for (int s = 0; s < g.S; s++)
                    {
                        int wi = j * g.StrideW - g.PadW + s * g.DilW;
                        if ((uint)wi >= (uint)g.W) continue;
                        double t = (double)x[((n * g.C + grp * cg + c) * g.H + hi) * g.W + wi] * w[((k * cg + c) * g.R + r) * g.S + s];
                        sum += t;
                        m += Math.Abs(t);
                    }
                }
                int o = ((n * g.K + k) * oh + i) * ow + j;
                y[o] = (float)sum;
                mag[o] = m;
            }
        }
        return (y, mag);
    }

    public static (float[] Dx, double[] Mag) BackwardInput(in Conv2dGeometry g, float[] dy, float[] w)
    {
        var dx = new double[g.InputSize];
        var mag = new double[g.InputSize];
        int oh = g.OutH, ow = g.OutW, cg = g.C / g.Groups, kg = g.K / g.Groups;
        for (int n = 0; n < g.N; n++)
        for (int k = 0; k < g.K; k++)
        {
            int grp = k / kg;
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                double d = dy[((n * g.K + k) * oh + i) * ow + j];
                for (int c = 0; c < cg; c++)
                for (int r = 0; r < g.R; r++)
                {
                    int hi = i * g.StrideH - g.PadH + r * g.DilH;
                    if ((uint)hi >= (uint)g.H) continue;
                    for (int s = 0; s < g.S; s++)
                    {
                        int wi = j * g.StrideW - g.PadW + s * g.DilW;
                        if ((uint)wi >= (uint)g.W) continue;
                        int o = ((n * g.C + grp * cg + c) * g.H + hi) * g.W + wi;
                        double t = d * w[((k * cg + c) * g.R + r) * g.S + s];
                        dx[o] += t;
                        mag[o] += Math.Abs(t);
                    }
                }
            }
        }
        return (dx.Select(v => (float)v).ToArray(), mag);
    }

    public static (float[] Dw, double[] Mag) BackwardWeight(in Conv2dGeometry g, float[] x, float[] dy)
    {
        var dw = new double[g.WeightSize];
        var mag = new double[g.WeightSize];
        int oh = g.OutH, ow = g.OutW, cg = g.C / g.Groups, kg = g.K / g.Groups;
        for (int n = 0; n < g.N; n++)
        for (int k = 0; k < g.K; k++)
        {
            int grp = k / kg;
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                double d = dy[((n * g.K + k) * oh + i) * ow + j];
                for (int c = 0; c < cg; c++)
                for (int r = 0; r < g.R; r++)
                {
                    int hi = i * g.StrideH - g.PadH + r * g.DilH;
                    if ((uint)hi >= (uint)g.H) continue;
                    for (int s = 0; s < g.S; s++)
                    {
                        int wi = j * g.StrideW - g.PadW + s * g.DilW;
                        if ((uint)wi >= (uint)g.W) continue;
                        int o = ((k * cg + c) * g.R + r) * g.S + s;
                        double t = d * x[((n * g.C + grp * cg + c) * g.H + hi) * g.W + wi];
                        dw[o] += t;
                        mag[o] += Math.Abs(t);
                    }
                }
            }
        }
        return (dw.Select(v => (float)v).ToArray(), mag);
    }

    public static (float[] Db, double[] Mag) BackwardBias(in Conv2dGeometry g, float[] dy)
    {
        var db = new double[g.K];
        var mag = new double[g.K];
        int plane = g.OutH * g.OutW;
        for (int n = 0; n < g.N; n++)
        for (int k = 0; k < g.K; k++)
        for (int i = 0; i < plane; i++)
        {
            double v = dy[(n * g.K + k) * plane + i];
            db[k] += v;
            mag[k] += Math.Abs(v);
        }
        return (db.Select(v => (float)v).ToArray(), mag);
    }
}
