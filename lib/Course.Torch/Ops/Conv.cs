using Course.Torch.Kernels;

namespace Course.Torch;

using static torch;

/// <summary>conv2d and conv_transpose2d on the Kernels/ convolution routines, with their gradients.</summary>
internal static class Conv
{
    static (int, int) Pair(long[]? v, int dflt, string op, string name)
    {
        if (v is null || v.Length == 0) return (dflt, dflt);
        if (v.Length == 1) return ((int)v[0], (int)v[0]);
        if (v.Length == 2) return ((int)v[0], (int)v[1]);
        throw new ArgumentException($"{op}: {name} must have 1 or 2 values, got {v.Length}.");
    }

    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, long[]? strides, long[]? padding, long[]? dilation, long groups)
    {
        const string op = "conv2d";
        if (input.shp.Length != 4) throw new ArgumentException($"{op}: input must be 4-D [N, C, H, W], got shape {input.ShapeStr}.");
        if (weight.shp.Length != 4) throw new ArgumentException($"{op}: weight must be 4-D [K, C/groups, R, S], got shape {weight.ShapeStr}.");
        var (sh, sw) = Pair(strides, 1, op, "strides"); var (ph, pw) = Pair(padding, 0, op, "padding"); var (dh, dw) = Pair(dilation, 1, op, "dilation");
        int g = (int)groups;
        int n = input.shp[0], c = input.shp[1], h = input.shp[2], w = input.shp[3], k = weight.shp[0], r = weight.shp[2], s = weight.shp[3];
        if (g <= 0 || c % g != 0 || k % g != 0 || weight.shp[1] != c / g)
            throw new ArgumentException($"{op}: input {input.ShapeStr} and weight {weight.ShapeStr} do not fit groups = {g} (weight dim 1 must be C/groups = {(g > 0 ? c / g : 0)}, K divisible by groups).");
        if (bias is not null && (bias.shp.Length != 1 || bias.shp[0] != k)) throw new ArgumentException($"{op}: bias must have shape [{k}], got {bias.ShapeStr}.");
        var geo = new Conv2dGeometry(n, c, h, w, k, r, s, sh, sw, ph, pw, dh, dw, g);
        if (geo.OutH <= 0 || geo.OutW <= 0)
            throw new ArgumentException($"{op}: output would be empty for input {input.ShapeStr}, kernel {r}x{s}, stride {sh}x{sw}, padding {ph}x{pw}, dilation {dh}x{dw}.");
        var x = input.ContigF(op); var wt = weight.ContigF(op); var b = bias?.ContigF(op);
        var y = Tensor.Empty([n, k, geo.OutH, geo.OutW]);
        Conv2dKernel.Forward(geo, x.FSpan, wt.FSpan, b is null ? ReadOnlySpan<float>.Empty : b.FSpan, y.FSpan);
        if (Autograd.Needs(input, weight, bias))
        {
            Func<Tensor, Tensor> gx = gy => { var d = Tensor.Empty(x.shp); Conv2dKernel.BackwardInput(geo, gy.ContigF(op).FSpan, wt.FSpan, d.FSpan); return d; };
            Func<Tensor, Tensor> gw = gy => { var d = Tensor.Empty(wt.shp); Conv2dKernel.BackwardWeight(geo, x.FSpan, gy.ContigF(op).FSpan, d.FSpan); return d; };
            Func<Tensor, Tensor> gb = gy => { var d = Tensor.Empty([k]); Conv2dKernel.BackwardBias(geo, gy.ContigF(op).FSpan, d.FSpan); return d; };
            var node = Autograd.RecordN(op, y, [input, weight, bias], [gx, gw, gb]);
            node.Save(x).Save(wt);
        }
        return y;
    }

    /// <summary>Transposed convolution: forward is conv2d's input gradient; weight is [Cin, Cout/groups, R, S].</summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias, long[]? strides, long[]? padding, long[]? output_padding, long groups, long[]? dilation)
    {
        const string op = "conv_transpose2d";
        if (input.shp.Length != 4) throw new ArgumentException($"{op}: input must be 4-D [N, C, H, W], got shape {input.ShapeStr}.");
        if (weight.shp.Length != 4) throw new ArgumentException($"{op}: weight must be 4-D [Cin, Cout/groups, R, S], got shape {weight.ShapeStr}.");
        var (sh, sw) = Pair(strides, 1, op, "strides"); var (ph, pw) = Pair(padding, 0, op, "padding");
        var (oph, opw) = Pair(output_padding, 0, op, "output_padding"); var (dh, dw) = Pair(dilation, 1, op, "dilation");
        int g = (int)groups;
        int n = input.shp[0], cin = input.shp[1], h = input.shp[2], w = input.shp[3];
        if (weight.shp[0] != cin || g <= 0 || cin % g != 0)
            throw new ArgumentException($"{op}: input {input.ShapeStr} and weight {weight.ShapeStr} do not fit (weight dim 0 must equal input channels {cin}, divisible by groups = {g}).");
        if (oph >= Math.Max(sh, dh) || opw >= Math.Max(sw, dw))
            throw new ArgumentException($"{op}: output_padding ({oph}, {opw}) must be smaller than stride or dilation.");
        int cout = weight.shp[1] * g, r = weight.shp[2], s = weight.shp[3];
        int hout = (h - 1) * sh - 2 * ph + dh * (r - 1) + oph + 1;
        int wout = (w - 1) * sw - 2 * pw + dw * (s - 1) + opw + 1;
        if (hout <= 0 || wout <= 0) throw new ArgumentException($"{op}: output would be empty for input {input.ShapeStr} and weight {weight.ShapeStr}.");
        if (bias is not null && (bias.shp.Length != 1 || bias.shp[0] != cout)) throw new ArgumentException($"{op}: bias must have shape [{cout}], got {bias.ShapeStr}.");
        // The equivalent conv maps our output [N, Cout, Hout, Wout] to our input [N, Cin, H, W].
        var geo = new Conv2dGeometry(n, cout, hout, wout, cin, r, s, sh, sw, ph, pw, dh, dw, g);
        var x = input.ContigF(op); var wt = weight.ContigF(op);
        var y = Tensor.Empty([n, cout, hout, wout]);
        Conv2dKernel.BackwardInput(geo, x.FSpan, wt.FSpan, y.FSpan);
        if (bias is not null)
        {
            var bs = bias.ContigF(op).FSpan; var ys = y.FSpan; int plane = hout * wout;
            for (int i = 0; i < n; i++)
                for (int c = 0; c < cout; c++)
                    System.Numerics.Tensors.TensorPrimitives.Add(ys.Slice((i * cout + c) * plane, plane), bs[c], ys.Slice((i * cout + c) * plane, plane));
        }
        if (Autograd.Needs(input, weight, bias))
        {
            Func<Tensor, Tensor> gx = gy => { var d = Tensor.Empty(x.shp); Conv2dKernel.Forward(geo, gy.ContigF(op).FSpan, wt.FSpan, ReadOnlySpan<float>.Empty, d.FSpan); return d; };
            Func<Tensor, Tensor> gw = gy => { var d = Tensor.Empty(wt.shp); Conv2dKernel.BackwardWeight(geo, gy.ContigF(op).FSpan, x.FSpan, d.FSpan); return d; };
            Func<Tensor, Tensor> gb = gy => gy.sum([0, 2, 3]);
            Autograd.RecordN(op, y, [input, weight, bias], [gx, gw, gb]).Save(x).Save(wt);
        }
        return y;
    }

    /// <summary>Max pooling over [N, C, H, W] (or [C, H, W]); padding counts as -inf.</summary>
    public static Tensor MaxPool2d(Tensor input, long[] kernel, long[]? stride, long[]? padding, long[]? dilation)
    {
        const string op = "max_pool2d";
        bool three = input.shp.Length == 3;
        if (three) input = input.unsqueeze(0);
        if (input.shp.Length != 4) throw new ArgumentException($"{op}: input must be 3-D or 4-D, got shape {input.ShapeStr}.");
        var (kh, kw) = Pair(kernel, 1, op, "kernel_size");
        var (sh, sw) = stride is null || stride.Length == 0 ? (kh, kw) : Pair(stride, 1, op, "stride");
        var (ph, pw) = Pair(padding, 0, op, "padding"); var (dh, dw) = Pair(dilation, 1, op, "dilation");
        int n = input.shp[0], c = input.shp[1], h = input.shp[2], w = input.shp[3];
        if (ph * 2 > kh || pw * 2 > kw) throw new ArgumentException($"{op}: padding ({ph}, {pw}) should be at most half the kernel ({kh}, {kw}).");
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1, ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        if (oh <= 0 || ow <= 0) throw new ArgumentException($"{op}: output would be empty for input {input.ShapeStr} with kernel ({kh}, {kw}).");
        var x = input.ContigF(op);
        var y = Tensor.Empty([n, c, oh, ow]);
        var arg = new int[y.count];
        var xs = x.FSpan; var ys = y.FSpan;
        for (int p = 0; p < n * c; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    float best = float.NegativeInfinity; int bi = -1;
                    for (int a = 0; a < kh; a++)
                    {
                        int hi = i * sh - ph + a * dh; if ((uint)hi >= (uint)h) continue;
                        for (int b = 0; b < kw; b++)
                        {
                            int wi = j * sw - pw + b * dw; if ((uint)wi >= (uint)w) continue;
                            int idx = (p * h + hi) * w + wi;
                            if (xs[idx] > best || bi < 0 || float.IsNaN(xs[idx])) { best = xs[idx]; bi = idx; }
                        }
                    }
                    int o = (p * oh + i) * ow + j;
                    ys[o] = best; arg[o] = bi;
                }
        if (Autograd.Needs(input))
        {
            var xshape = x.shp;
            Autograd.Record(op, y, input, gy =>
            {
                var d = Tensor.Empty(xshape, ScalarType.Float32, zero: true);
                var gs = gy.ContigF(op).FSpan; var ds = d.FSpan;
                for (int o = 0; o < arg.Length; o++) ds[arg[o]] += gs[o];
                return d;
            });
        }
        return three ? y.squeeze(0) : y;
    }

    public static Tensor AvgPool2d(Tensor input, long[] kernel, long[]? stride, long[]? padding, bool count_include_pad)
    {
        const string op = "avg_pool2d";
        bool three = input.shp.Length == 3;
        if (three) input = input.unsqueeze(0);
        if (input.shp.Length != 4) throw new ArgumentException($"{op}: input must be 3-D or 4-D, got shape {input.ShapeStr}.");
        var (kh, kw) = Pair(kernel, 1, op, "kernel_size");
        var (sh, sw) = stride is null || stride.Length == 0 ? (kh, kw) : Pair(stride, 1, op, "stride");
        var (ph, pw) = Pair(padding, 0, op, "padding");
        int n = input.shp[0], c = input.shp[1], h = input.shp[2], w = input.shp[3];
        int oh = (h + 2 * ph - kh) / sh + 1, ow = (w + 2 * pw - kw) / sw + 1;
        if (oh <= 0 || ow <= 0) throw new ArgumentException($"{op}: output would be empty for input {input.ShapeStr} with kernel ({kh}, {kw}).");
        var x = input.ContigF(op);
        var y = Tensor.Empty([n, c, oh, ow]);
        var xs = x.FSpan; var ys = y.FSpan;
        var divs = new float[oh * ow];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                int h0 = i * sh - ph, w0 = j * sw - pw;
                int cnt = count_include_pad
                    ? (Math.Min(h0 + kh, h + ph) - h0) * (Math.Min(w0 + kw, w + pw) - w0)
                    : (Math.Min(h0 + kh, h) - Math.Max(h0, 0)) * (Math.Min(w0 + kw, w) - Math.Max(w0, 0));
                divs[i * ow + j] = 1f / Math.Max(cnt, 1);
            }
        for (int p = 0; p < n * c; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    float sum = 0;
                    for (int a = 0; a < kh; a++)
                    {
                        int hi = i * sh - ph + a; if ((uint)hi >= (uint)h) continue;
                        for (int b = 0; b < kw; b++)
                        {
                            int wi = j * sw - pw + b; if ((uint)wi >= (uint)w) continue;
                            sum += xs[(p * h + hi) * w + wi];
                        }
                    }
                    ys[(p * oh + i) * ow + j] = sum * divs[i * ow + j];
                }
        if (Autograd.Needs(input))
        {
            var xshape = x.shp;
            Autograd.Record(op, y, input, gy =>
            {
                var d = Tensor.Empty(xshape, ScalarType.Float32, zero: true);
                var gs = gy.ContigF(op).FSpan; var ds = d.FSpan;
                for (int p = 0; p < n * c; p++)
                    for (int i = 0; i < oh; i++)
                        for (int j = 0; j < ow; j++)
                        {
                            float gv = gs[(p * oh + i) * ow + j] * divs[i * ow + j];
                            for (int a = 0; a < kh; a++)
                            {
                                int hi = i * sh - ph + a; if ((uint)hi >= (uint)h) continue;
                                for (int b = 0; b < kw; b++)
                                {
                                    int wi = j * sw - pw + b; if ((uint)wi >= (uint)w) continue;
                                    ds[(p * h + hi) * w + wi] += gv;
                                }
                            }
                        }
                return d;
            });
        }
        return three ? y.squeeze(0) : y;
    }
}
