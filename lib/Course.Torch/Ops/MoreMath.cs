using System.Numerics.Tensors;

namespace Course.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        public Tensor atan()
        {
            var r = Unary.Map(this, "atan", static (x, d) => TensorPrimitives.Atan(x, d));
            var self = this;
            if (Autograd.Needs(this)) Autograd.Record("atan", r, this, g => g / (self.square() + 1)).Save(this);
            return r;
        }

        /// <summary>Angle of (x = other, y = this), in (-pi, pi].</summary>
        public Tensor atan2(Tensor other)
        {
            var shape = Shape.Broadcast(shp, other.shp, "atan2");
            var y = Strided.Expand(ContigF("atan2"), shape, "atan2"); var x = Strided.Expand(other.ContigF("atan2"), shape, "atan2");
            var r = Unary.Map2(y, x, "atan2", static (a, b, d) => TensorPrimitives.Atan2(a, b, d));
            if (Autograd.Needs(this, other))
                Autograd.RecordBroadcast("atan2", r, this, g => g * x / (x.square() + y.square()), other, g => -g * y / (x.square() + y.square()))
                    .Save(this).Save(other); // x and y may be these very tensors: an in-place change before backward must be caught
            return r;
        }

        public Tensor sinh() => (exp() - (-this).exp()) * 0.5;
        public Tensor cosh() => (exp() + (-this).exp()) * 0.5;

        /// <summary>log(exp(this) + exp(other)), stable.</summary>
        public Tensor logaddexp(Tensor other)
        {
            var m = maximum(other).detach();
            using (no_grad()) m = where(m.isfinite(), m, 0.0);
            return ((this - m).exp() + (other - m).exp()).log() + m;
        }

        public Tensor isclose(Tensor other, double rtol = 1e-05, double atol = 1e-08)
            => ((this - other).abs() <= (other.abs() * rtol + atol));

        public Tensor type_as(Tensor other) => to(other.dtype);
    }

    public static Tensor atan(Tensor x) => x.atan();
    public static Tensor atan2(Tensor y, Tensor x) => y.atan2(x);
    public static Tensor sinh(Tensor x) => x.sinh();
    public static Tensor cosh(Tensor x) => x.cosh();
    public static Tensor logaddexp(Tensor a, Tensor b) => a.logaddexp(b);
    public static Tensor isclose(Tensor a, Tensor b, double rtol = 1e-05, double atol = 1e-08) => a.isclose(b, rtol, atol);
}
