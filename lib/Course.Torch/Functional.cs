namespace Course.Torch;

/// <summary>Padding modes for torch.nn.functional.pad (TorchSharp's enum; only Constant and Replicate/Reflect are implemented).</summary>
public enum PaddingModes { Zeros = 0, Reflect = 1, Replicate = 2, Circular = 3, Constant = 4 }

/// <summary>Interpolation modes for interpolate (only Nearest is implemented).</summary>
public enum InterpolationMode { Nearest = 0, Linear = 1, Bilinear = 2, Bicubic = 3, Trilinear = 4, Area = 5, NearestExact = 6 }

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// Stateless layers and activations (TorchSharp's torch.nn.functional). The loss functions are added by the
        /// nn module code in NN/ (another partial of this class).
        /// </summary>
        public static partial class functional
        {
            public static Tensor relu(Tensor x, bool inplace = false) => inplace ? x.relu_() : x.relu();
            public static Tensor relu6(Tensor x, bool inplace = false) => x.clamp(0, 6);
            public static Tensor leaky_relu(Tensor x, double negative_slope = 0.01, bool inplace = false) => x.leaky_relu(negative_slope);
            public static Tensor silu(Tensor x, bool inplace = false) => x.silu();
            public static Tensor gelu(Tensor x) => x.gelu();
            public static Tensor gelu(Tensor x, string approximate) => x.gelu(approximate);
            public static Tensor softplus(Tensor x, double beta = 1, double threshold = 20) => x.softplus(beta, threshold);
            public static Tensor logsigmoid(Tensor x) => x.logsigmoid();
            public static Tensor sigmoid(Tensor x) => x.sigmoid();
            public static Tensor tanh(Tensor x) => x.tanh();
            public static Tensor elu(Tensor x, double alpha = 1) => where(x.gt(0), x, (x.clamp_max(0).exp() - 1) * alpha);
            public static Tensor softmax(Tensor x, long dim, ScalarType? dtype = null) => x.softmax(dim);
            public static Tensor log_softmax(Tensor x, long dim, ScalarType? dtype = null) => x.log_softmax(dim);

            /// <summary>x W^T + b, fused: one GEMM forward, two backward, bias gradient as column sums.</summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) => FusedLinear.Forward(input, weight, bias);

            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? strides = null, long[]? padding = null, long[]? dilation = null, long groups = 1)
                => Conv.Conv2d(input, weight, bias, strides, padding, dilation, groups);

            public static Tensor conv_transpose2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null,
                long[]? output_padding = null, long groups = 1, long[]? dilation = null)
                => Conv.ConvTranspose2d(input, weight, bias, stride, padding, output_padding, groups, dilation);

            public static Tensor max_pool2d(Tensor input, long[] kernelSize, long[]? strides = null, long[]? padding = null, long[]? dilation = null, bool ceil_mode = false)
            {
                if (ceil_mode) throw new NotSupportedException("max_pool2d: ceil_mode = true is not supported.");
                return Conv.MaxPool2d(input, kernelSize, strides, padding, dilation);
            }

            public static Tensor max_pool2d(Tensor input, long kernelSize, long? stride = null, long padding = 0)
                => Conv.MaxPool2d(input, [kernelSize], stride is null ? null : [stride.Value], [padding], null);

            public static Tensor avg_pool2d(Tensor input, long[] kernelSizes, long[]? strides = null, long[]? paddings = null, bool ceil_mode = false, bool count_include_pad = true)
            {
                if (ceil_mode) throw new NotSupportedException("avg_pool2d: ceil_mode = true is not supported.");
                return Conv.AvgPool2d(input, kernelSizes, strides, paddings, count_include_pad);
            }

            public static Tensor avg_pool2d(Tensor input, long kernelSize, long? stride = null, long padding = 0)
                => Conv.AvgPool2d(input, [kernelSize], stride is null ? null : [stride.Value], [padding], true);

            /// <summary>Nearest-neighbour resize of the trailing spatial dims by size or scale_factor.</summary>
            public static Tensor interpolate(Tensor x, long[]? size = null, double[]? scale_factor = null, InterpolationMode mode = InterpolationMode.Nearest,
                bool? align_corners = null, bool recompute_scale_factor = false, bool antialias = false)
            {
                if (mode != InterpolationMode.Nearest) throw new NotSupportedException($"interpolate: mode {mode} is not supported; use Nearest.");
                int spatial = x.shp.Length - 2;
                if (spatial < 1) throw new ArgumentException($"interpolate: input must be [N, C, ...spatial], got shape {x.ShapeStr}.");
                var r = x;
                for (int i = 0; i < spatial; i++)
                {
                    int d = 2 + i, inSize = x.shp[d];
                    int outSize;
                    double scale;
                    if (size is not null) { outSize = (int)(size.Length == 1 ? size[0] : size[i]); scale = (double)inSize / outSize; }
                    else if (scale_factor is not null)
                    {
                        double sf = scale_factor.Length == 1 ? scale_factor[0] : scale_factor[i];
                        outSize = (int)Math.Floor(inSize * sf); scale = 1.0 / sf;
                    }
                    else throw new ArgumentException("interpolate: give either size or scale_factor.");
                    if (outSize == inSize) continue;
                    var idx = new long[outSize];
                    for (int j = 0; j < outSize; j++) idx[j] = Math.Min((long)Math.Floor(j * scale), inSize - 1);
                    r = r.index_select(d, tensor(idx));
                }
                return r;
            }

            public static Tensor upsample(Tensor x, long[]? size = null, double[]? scale_factor = null, InterpolationMode mode = InterpolationMode.Nearest)
                => interpolate(x, size, scale_factor, mode);

            /// <summary>Zeroes elements with probability p and scales the rest by 1/(1-p) when training.</summary>
            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true, bool inplace = false)
            {
                if (p < 0 || p > 1) throw new ArgumentException($"dropout: probability must be in [0, 1], got {p}.");
                if (!training || p == 0) return input;
                if (p == 1) return input * 0.0;
                var mask = bernoulli(input, 1 - p);
                return input * (mask / (1 - p));
            }

            /// <summary>Pads the last dims: pad = [left, right, top, bottom, ...] from the last dim backwards.</summary>
            public static Tensor pad(Tensor input, long[] pad, PaddingModes mode = PaddingModes.Constant, double value = 0)
            {
                if (pad.Length % 2 != 0 || pad.Length / 2 > input.shp.Length)
                    throw new ArgumentException($"pad: expected pairs for at most {input.shp.Length} dims, got {pad.Length} values.");
                if (mode == PaddingModes.Replicate || mode == PaddingModes.Reflect || mode == PaddingModes.Circular)
                {
                    var t = input;
                    for (int i = 0; i < pad.Length / 2; i++)
                    {
                        int d = input.shp.Length - 1 - i; int n = t.shp[d];
                        long l = pad[2 * i], rr = pad[2 * i + 1];
                        var idx = new long[n + l + rr];
                        for (long j = 0; j < idx.Length; j++)
                        {
                            long s = j - l;
                            idx[j] = mode switch
                            {
                                PaddingModes.Replicate => Math.Clamp(s, 0, n - 1),
                                PaddingModes.Circular => ((s % n) + n) % n,
                                _ => Reflect(s, n),
                            };
                        }
                        t = t.index_select(d, tensor(idx));
                    }
                    return t;
                }
                var shape = (int[])input.shp.Clone();
                for (int i = 0; i < pad.Length / 2; i++)
                {
                    int d = shape.Length - 1 - i;
                    if (pad[2 * i] < 0 || pad[2 * i + 1] < 0) throw new NotSupportedException("pad: negative padding (cropping) is not supported; use narrow.");
                    shape[d] += (int)(pad[2 * i] + pad[2 * i + 1]);
                }
                var r = full(Shape.ToLong(shape), value, input.dt);
                var view = r;
                for (int i = 0; i < pad.Length / 2; i++)
                {
                    int d = shape.Length - 1 - i;
                    view = view.Slice(d, (int)pad[2 * i], (int)pad[2 * i] + input.shp[d], 1);
                }
                view.WriteFrom(input.detach());
                if (Autograd.Needs(input))
                {
                    var pp = pad; var inShape = input.shp;
                    Autograd.Record("pad", r, input, g =>
                    {
                        var v = g;
                        for (int i = 0; i < pp.Length / 2; i++) { int d = inShape.Length - 1 - i; v = v.Slice(d, (int)pp[2 * i], (int)pp[2 * i] + inShape[d], 1); }
                        return v.contiguous();
                    });
                }
                return r;
            }

            static long Reflect(long s, long n)
            {
                if (n == 1) return 0;
                long period = 2 * (n - 1);
                s = ((s % period) + period) % period;
                return s < n ? s : period - s;
            }

            /// <summary>Int64 class indices [...] -> Int64 one-hot [..., num_classes].</summary>
            public static Tensor one_hot(Tensor x, long num_classes = -1)
            {
                if (x.dt != ScalarType.Int64) throw new ArgumentException($"one_hot: expected an Int64 tensor of class indices, got {x.dt}.");
                var ix = x.LongIndex("one_hot").LSpan;
                long max = -1; foreach (var v in ix) { if (v < 0) throw new ArgumentException($"one_hot: class index {v} is negative."); max = Math.Max(max, v); }
                if (num_classes < 0) num_classes = max + 1;
                if (max >= num_classes) throw new ArgumentException($"one_hot: class index {max} is out of range for num_classes = {num_classes}.");
                var shape = x.shp.Append((int)num_classes).ToArray();
                var r = Tensor.Empty(shape, ScalarType.Int64, zero: true);
                var rs = r.LSpan;
                for (int i = 0; i < ix.Length; i++) rs[i * (int)num_classes + (int)ix[i]] = 1;
                return r;
            }
        }
    }
}

/// <summary>Fused linear layer: y = x W^T + b with GEMM transposes instead of copies.</summary>
internal static class FusedLinear
{
    /// <summary>linear, or relu(linear) when relu: the activation is applied in place on the fresh output.</summary>
    public static torch.Tensor Forward(torch.Tensor input, torch.Tensor weight, torch.Tensor? bias, bool relu = false)
    {
        const string op = "linear";
        if (weight.shp.Length != 2) throw new ArgumentException($"{op}: weight must be 2-D [out, in], got shape {weight.ShapeStr}.");
        int outF = weight.shp[0], inF = weight.shp[1];
        if (input.shp.Length == 0 || input.shp[^1] != inF)
            throw new ArgumentException($"{op}: input shape {input.ShapeStr} does not end in {inF}, the weight's in_features (weight {weight.ShapeStr}).");
        if (bias is not null && (bias.shp.Length != 1 || bias.shp[0] != outF))
            throw new ArgumentException($"{op}: bias must have shape [{outF}], got {bias.ShapeStr}.");
        if (input.shp.Length != 2)
        {
            var lead = input.shape[..^1];
            var flat = input.reshape(-1, inF);
            var y2 = Forward(flat, weight, bias, relu);
            return y2.reshape(lead.Append(outF).ToArray());
        }
        input.CheckFloat(op); weight.CheckFloat(op);
        int b = input.shp[0];
        var y = torch.Tensor.Empty([b, outF]);
        // Bias rows and relu are applied by the GEMM per block of y, while the block is in cache (same values as a
        // bias copy, an accumulating GEMM and a relu pass).
        ReadOnlySpan<float> bs = bias is null ? default : bias.ContigF(op).FSpan;
        MatMul.Gemm2D(input, 0, weight, 0, y, 0, b, outF, inF, input.stv, [weight.stv[1], weight.stv[0]], accumulate: false, bs, relu);
        bool track = Autograd.Needs(input, weight, bias);
        // The linear node's output: y itself, or (fused relu) a tensor object over y's storage that stands for the
        // pre-activation in the graph. No backward function reads it, so its values (overwritten by relu) do not matter.
        var z = relu && track ? new torch.Tensor(y.storage, 0, y.shp, y.stv, y.dt) : y;
        y.reluFusedOutput = relu && track;
        if (track)
        {
            RecordLinear(z, input, weight, bias, outF);
            if (relu) torch.Tensor.RecordRelu(y, z);
        }
        return y;
    }

    // Separate methods so each node's closures capture only what its backward reads (one shared closure object
    // would keep the linear node holding y, and so every activation alive until backward).
    static void RecordLinear(torch.Tensor z, torch.Tensor x, torch.Tensor w, torch.Tensor? bias, int outF)
    {
        Func<torch.Tensor, torch.Tensor> gx = x.reluFusedOutput ? g => InputGradThroughRelu(g, w, x) : g => g.mm(w);
        Func<torch.Tensor, torch.Tensor> gw = g => g.t().mm(x);
        Func<torch.Tensor, torch.Tensor> gb = g => Reduce.SumTo(g, [outF]);
        Autograd.RecordN("linear", z, [x, w, bias], [gx, gw, gb]).Save(x).Save(w);
    }

    /// <summary>
    /// x is the output of a fused Linear+ReLU (x = relu(z)), so the gradient for x is only ever used masked by
    /// x > 0: the GEMM applies that mask to each block of (g W) while it is in cache, and the relu node then passes
    /// the gradient on untouched (<see cref="torch.Tensor.RecordRelu"/>), which saves relu's separate pass and buffer. Same
    /// values either way (the mask is a select, so applying it twice changes nothing). Not when the graph is
    /// being recorded (create_graph), under anomaly mode (which checks the unmasked gradient), or when x's
    /// gradient is retained (x.grad must be the unmasked one).
    /// </summary>
    static torch.Tensor InputGradThroughRelu(torch.Tensor g, torch.Tensor w, torch.Tensor x)
    {
        if (GradMode.Enabled || GradMode.Anomaly || x.gradFn?.RetainTarget is not null || !x.contig || g.shp.Length != 2)
            return g.mm(w);
        int m = g.shp[0], n = w.shp[1], k = g.shp[1];
        var r = torch.Tensor.Empty([m, n]);
        MatMul.Gemm2D(g, 0, w, 0, r, 0, m, n, k, g.stv, w.stv, false, default, false, x.FSpan);
        r.reluMaskedFor = x;
        return r;
    }
}
