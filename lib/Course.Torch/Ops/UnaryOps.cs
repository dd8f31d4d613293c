using System.Numerics.Tensors;

namespace Course.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        public Tensor neg()
        {
            if (dt == ScalarType.Int64) return Binary.Forward(tensor(0L), this, BinOp.Sub, "neg");
            var r = Unary.Map(this, "neg", static (x, d) => TensorPrimitives.Negate(x, d));
            if (Autograd.Needs(this)) Autograd.Record("neg", r, this, static g => -g);
            return r;
        }
        public Tensor negative() => neg();

        public Tensor exp()
        {
            var r = Unary.Map(this, "exp", static (x, d) => TensorPrimitives.Exp(x, d));
            if (Autograd.Needs(this)) Autograd.Record("exp", r, this, g => g * r).Save(r);
            return r;
        }

        public Tensor expm1()
        {
            var r = Unary.Map(this, "expm1", static (x, d) => TensorPrimitives.ExpM1(x, d));
            if (Autograd.Needs(this)) Autograd.Record("expm1", r, this, g => g * (r + 1)).Save(r);
            return r;
        }

        public Tensor log()
        {
            var r = Unary.Map(this, "log", static (x, d) => TensorPrimitives.Log(x, d));
            var self = this;
            if (Autograd.Needs(this)) Autograd.Record("log", r, this, g => g / self).Save(this);
            return r;
        }

        public Tensor log2() => log() / Math.Log(2);
        public Tensor log10() => log() / Math.Log(10);

        public Tensor log1p()
        {
            var r = Unary.Map(this, "log1p", static (x, d) => TensorPrimitives.LogP1(x, d));
            var self = this;
            if (Autograd.Needs(this)) Autograd.Record("log1p", r, this, g => g / (self + 1)).Save(this);
            return r;
        }

        public Tensor sqrt()
        {
            var r = Unary.Map(this, "sqrt", static (x, d) => TensorPrimitives.Sqrt(x, d));
            if (Autograd.Needs(this)) Autograd.Record("sqrt", r, this, g => g * 0.5 / r).Save(r);
            return r;
        }

        public Tensor rsqrt()
        {
            var r = Unary.Map(this, "rsqrt", static (x, d) => { TensorPrimitives.Sqrt(x, d); TensorPrimitives.Reciprocal(d, d); });
            if (Autograd.Needs(this)) Autograd.Record("rsqrt", r, this, g => g * -0.5 * r * r * r).Save(r);
            return r;
        }

        public Tensor reciprocal()
        {
            var r = Unary.Map(this, "reciprocal", static (x, d) => TensorPrimitives.Reciprocal(x, d));
            if (Autograd.Needs(this)) Autograd.Record("reciprocal", r, this, g => -g * r * r).Save(r);
            return r;
        }

        public Tensor square()
        {
            var r = Unary.Map(this, "square", static (x, d) => TensorPrimitives.Multiply(x, x, d));
            var self = this;
            if (Autograd.Needs(this)) Autograd.Record("square", r, this, g => g * self * 2.0).Save(this);
            return r;
        }

        public Tensor abs()
        {
            if (dt == ScalarType.Int64) return Binary.Forward(this, this.neg(), BinOp.Max, "abs");
            var r = Unary.Map(this, "abs", static (x, d) => TensorPrimitives.Abs(x, d));
            var self = this;
            if (Autograd.Needs(this)) Autograd.Record("abs", r, this, g => g * self.sign()).Save(this);
            return r;
        }

        public Tensor sign() => Unary.Map(this, "sign", static (x, d) => { for (int i = 0; i < d.Length; i++) d[i] = x[i] > 0 ? 1 : x[i] < 0 ? -1 : 0; });
        public Tensor floor() => NoGradMap("floor", static (x, d) => TensorPrimitives.Floor(x, d));
        public Tensor ceil() => NoGradMap("ceil", static (x, d) => TensorPrimitives.Ceiling(x, d));
        public Tensor round() => NoGradMap("round", static (x, d) => TensorPrimitives.Round(x, d));
        public Tensor trunc() => NoGradMap("trunc", static (x, d) => TensorPrimitives.Truncate(x, d));

        /// <summary>Piecewise-constant ops: gradient is zero almost everywhere, as in PyTorch.</summary>
        Tensor NoGradMap(string name, SpanMap f)
        {
            if (dt == ScalarType.Int64) return clone();
            var r = Unary.Map(this, name, f);
            if (Autograd.Needs(this)) Autograd.Record(name, r, this, static g => zeros_like(g));
            return r;
        }

        public Tensor sin()
        {
            var r = Unary.Map(this, "sin", static (x, d) => TensorPrimitives.Sin(x, d));
            var self = this;
            if (Autograd.Needs(this)) Autograd.Record("sin", r, this, g => g * self.cos()).Save(this);
            return r;
        }

        public Tensor cos()
        {
            var r = Unary.Map(this, "cos", static (x, d) => TensorPrimitives.Cos(x, d));
            var self = this;
            if (Autograd.Needs(this)) Autograd.Record("cos", r, this, g => -g * self.sin()).Save(this);
            return r;
        }

        public Tensor tanh()
        {
            var r = Unary.Map(this, "tanh", static (x, d) => TensorPrimitives.Tanh(x, d));
            if (Autograd.Needs(this))
                Autograd.Record("tanh", r, this, g => GradMode.Enabled ? g * (1 - r * r) : Unary.Map2(g, r, "tanh", Unary.TanhBackward)).Save(r);
            return r;
        }

        public Tensor sigmoid()
        {
            var r = Unary.Map(this, "sigmoid", static (x, d) => TensorPrimitives.Sigmoid(x, d));
            if (Autograd.Needs(this))
                Autograd.Record("sigmoid", r, this, g => GradMode.Enabled ? g * r * (1 - r) : Unary.Map2(g, r, "sigmoid", Unary.SigmoidBackward)).Save(r);
            return r;
        }

        public Tensor relu()
        {
            var r = Unary.Map(this, "relu", static (x, d) => TensorPrimitives.Max(x, 0f, d));
            // The output's sign equals the input's, so backward reads the output (which lets relu_ work in place).
            if (Autograd.Needs(this)) RecordRelu(r, this);
            return r;
        }

        /// <summary>
        /// relu's node, also recorded by the fused Linear+ReLU: backward reads only the output's sign, and passes on
        /// untouched a gradient that already carries this output's mask (see Functional's InputGradThroughRelu).
        /// </summary>
        internal static void RecordRelu(Tensor output, Tensor input)
            => Autograd.Record("relu", output, input, g => GradMode.Enabled ? g * output.gt(0)
                : ReferenceEquals(g.reluMaskedFor, output) ? g : Unary.Map2(g, output, "relu", Unary.ReluBackward)).Save(output);

        public Tensor leaky_relu(double negative_slope = 0.01)
        {
            float s = (float)negative_slope;
            var r = Unary.Map(this, "leaky_relu", (x, d) => Unary.LeakyRelu(x, s, d));
            var self = this;
            // With a positive slope the output has the input's sign: read the output (in-place friendly).
            var signOf = s > 0 ? r : this;
            if (Autograd.Needs(this))
                Autograd.Record("leaky_relu", r, this, g => GradMode.Enabled
                    ? where(signOf.gt(0), g, g * negative_slope)
                    : Unary.Map2(g, signOf, "leaky_relu", (gg, x, d) => Unary.LeakyReluBackward(gg, x, s, d))).Save(signOf);
            return r;
        }

        public Tensor silu()
        {
            var sig = Unary.Map(this, "silu", static (x, d) => TensorPrimitives.Sigmoid(x, d));
            var c = ContigF("silu");
            var r = Unary.Map2(c, sig, "silu", static (x, s, d) => TensorPrimitives.Multiply(x, s, d));
            if (Autograd.Needs(this))
                Autograd.Record("silu", r, this, g => g * (sig * (1 + c * (1 - sig)))).Save(this);
            return r;
        }

        /// <summary>GELU; approximate "none" uses erf (PyTorch's default), "tanh" the tanh approximation.</summary>
        public Tensor gelu(string approximate = "none")
        {
            var self = this;
            if (approximate == "tanh")
            {
                const double k = 0.7978845608028654; // sqrt(2/pi)
                var inner = (self + self * self * self * 0.044715) * k;
                return self * 0.5 * (1 + inner.tanh());
            }
            var r = Unary.Map(this, "gelu", static (x, d) =>
            {
                for (int i = 0; i < d.Length; i++) d[i] = 0.5f * x[i] * (1 + Unary.Erf(x[i] * 0.70710678f));
            });
            if (Autograd.Needs(this))
                Autograd.Record("gelu", r, this, g => g * Unary.Map(self, "gelu", static (x, d) =>
                {
                    for (int i = 0; i < d.Length; i++)
                        d[i] = 0.5f * (1 + Unary.Erf(x[i] * 0.70710678f)) + x[i] * 0.3989422804f * MathF.Exp(-0.5f * x[i] * x[i]);
                })).Save(this);
            return r;
        }

        public Tensor softplus(double beta = 1, double threshold = 20)
        {
            float b = (float)beta, th = (float)threshold;
            var r = Unary.Map(this, "softplus", (x, d) => Unary.Softplus(x, b, th, d));
            var self = this;
            if (Autograd.Needs(this)) Autograd.Record("softplus", r, this, g => g * (self * beta).sigmoid()).Save(this);
            return r;
        }

        /// <summary>log(sigmoid(x)) computed stably as -softplus(-x).</summary>
        public Tensor logsigmoid() => -(-this).softplus();

        public Tensor erf()
        {
            var r = Unary.Map(this, "erf", static (x, d) => { for (int i = 0; i < d.Length; i++) d[i] = Unary.Erf(x[i]); });
            var self = this;
            if (Autograd.Needs(this)) Autograd.Record("erf", r, this, g => g * (self.square().neg().exp() * 1.1283791670955126)).Save(this);
            return r;
        }

        public Tensor clamp(double? min = null, double? max = null)
        {
            if (dt == ScalarType.Int64)
            {
                var t = this;
                if (min is { } lo) t = t.maximum(tensor((long)lo));
                if (max is { } hi) t = t.minimum(tensor((long)hi));
                return ReferenceEquals(t, this) ? clone() : t;
            }
            float fmin = min is null ? float.NegativeInfinity : (float)min.Value;
            float fmax = max is null ? float.PositiveInfinity : (float)max.Value;
            var r = Unary.Map(this, "clamp", (x, d) => { TensorPrimitives.Max(x, fmin, d); TensorPrimitives.Min(d, fmax, d); });
            // Gradient flows where the output is strictly inside (min, max); read from the output so clamp_ works
            // in place. (At an input exactly equal to a bound PyTorch passes the gradient; a measure-zero difference.)
            if (Autograd.Needs(this))
                Autograd.Record("clamp", r, this, g => g * Unary.Map(r, "clamp", (x, d) =>
                {
                    for (int i = 0; i < d.Length; i++) d[i] = x[i] > fmin && x[i] < fmax ? 1 : 0;
                })).Save(r);
            return r;
        }

        public Tensor clamp(Tensor? min, Tensor? max = null)
        {
            var t = this;
            if (min is not null) t = t.maximum(min);
            if (max is not null) t = t.minimum(max);
            return t;
        }

        public Tensor clamp_min(double min) => clamp(min, null);
        public Tensor clamp_max(double max) => clamp(null, max);
        public Tensor clip(double? min = null, double? max = null) => clamp(min, max);
    }

    public static Tensor neg(Tensor x) => x.neg();
    public static Tensor exp(Tensor x) => x.exp();
    public static Tensor expm1(Tensor x) => x.expm1();
    public static Tensor log(Tensor x) => x.log();
    public static Tensor log1p(Tensor x) => x.log1p();
    public static Tensor log2(Tensor x) => x.log2();
    public static Tensor log10(Tensor x) => x.log10();
    public static Tensor sqrt(Tensor x) => x.sqrt();
    public static Tensor rsqrt(Tensor x) => x.rsqrt();
    public static Tensor reciprocal(Tensor x) => x.reciprocal();
    public static Tensor square(Tensor x) => x.square();
    public static Tensor abs(Tensor x) => x.abs();
    public static Tensor sign(Tensor x) => x.sign();
    public static Tensor floor(Tensor x) => x.floor();
    public static Tensor ceil(Tensor x) => x.ceil();
    public static Tensor round(Tensor x) => x.round();
    public static Tensor sin(Tensor x) => x.sin();
    public static Tensor cos(Tensor x) => x.cos();
    public static Tensor tanh(Tensor x) => x.tanh();
    public static Tensor sigmoid(Tensor x) => x.sigmoid();
    public static Tensor relu(Tensor x) => x.relu();
    public static Tensor erf(Tensor x) => x.erf();
    public static Tensor clamp(Tensor x, double? min = null, double? max = null) => x.clamp(min, max);
    public static Tensor clip(Tensor x, double? min = null, double? max = null) => x.clamp(min, max);

    public static partial class special
    {
        public static Tensor expit(Tensor x) => x.sigmoid();
        public static Tensor erf(Tensor x) => x.erf();
        public static Tensor logit(Tensor x) => (x / (1 - x)).log();
    }
}
