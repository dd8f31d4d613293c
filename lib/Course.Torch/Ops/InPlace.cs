using System.Numerics.Tensors;

namespace Course.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>In-place writes to a leaf that requires grad would silently corrupt its gradient: refuse.</summary>
        internal void CheckInPlaceLeaf(string op)
        {
            if (GradMode.Enabled && needsGrad && gradFn is null)
                throw new InvalidOperationException($"{op}: a leaf tensor that requires grad (shape {ShapeStr}) is being used in an in-place operation. " +
                    "Wrap parameter updates in `using (torch.no_grad()) { ... }`.");
        }

        /// <summary>Copies src (broadcast to this shape, converted to this dtype) into this tensor's elements.</summary>
        internal Tensor WriteFrom(Tensor src, string op = "copy_")
        {
            if (src.dt != dt) src = Strided.Convert(src, dt);
            var strides = Shape.BroadcastStrides(src.shp, src.stv, shp, op);
            if (ReferenceEquals(src.storage, storage)) src = Strided.Contiguous(src); // overlapping views: read first
            Strided.CopyInto(src, ReferenceEquals(src.storage, storage) ? src.stv : strides, storage, offset, stv, shp);
            storage.Version++;
            return this;
        }

        /// <summary>
        /// Runs an in-place op. Without autograd, writes f(this) into this tensor. With autograd, the op is recorded
        /// out of place on an alias of the old value, and this tensor takes the result's values and history.
        /// </summary>
        internal Tensor InPlace(string op, Tensor? other, Func<Tensor, Tensor> f)
        {
            bool track = GradMode.Enabled && (needsGrad || (other is not null && other.needsGrad));
            if (!track)
            {
                Tensor r;
                using (no_grad()) r = f(this);
                if (!Shape.SameShape(r.shp, shp))
                    throw new ArgumentException($"{op}: result of shape {Shape.Str(r.shp)} does not fit the tensor of shape {ShapeStr} it writes into.");
                return WriteFrom(r, op);
            }
            CheckInPlaceLeaf(op);
            if (viewBase is not null)
                throw new NotSupportedException($"{op}: in-place update of a view inside the autograd graph is not supported; use the out-of-place form.");
            var old = new Tensor(storage, offset, shp, stv, dt) { needsGrad = needsGrad, gradFn = gradFn };
            var res = f(old);
            if (!Shape.SameShape(res.shp, shp))
                throw new ArgumentException($"{op}: result of shape {Shape.Str(res.shp)} does not fit the tensor of shape {ShapeStr} it writes into.");
            WriteFrom(res, op);
            gradFn = res.gradFn;
            needsGrad = res.needsGrad;
            return this;
        }

        bool FastInPlace(Tensor other) =>
            (!GradMode.Enabled || (!needsGrad && !other.needsGrad)) && contig && other.contig
            && dt == ScalarType.Float32 && other.dt == ScalarType.Float32 && Shape.SameShape(shp, other.shp)
            && (!ReferenceEquals(other.storage, storage) || other.offset == offset);

        bool FastInPlaceScalar => (!GradMode.Enabled || !needsGrad) && contig && dt == ScalarType.Float32;

        public Tensor add_(Tensor other, double alpha = 1)
        {
            if (FastInPlace(other))
            {
                if (alpha == 1) TensorPrimitives.Add(FSpan, other.FSpan, FSpan);
                else TensorPrimitives.MultiplyAdd(other.FSpan, (float)alpha, FSpan, FSpan);
                storage.Version++; return this;
            }
            return InPlace("add_", other, t => alpha == 1 ? t + other : t + other * alpha);
        }

        public Tensor add_(double other)
        {
            if (FastInPlaceScalar) { TensorPrimitives.Add(FSpan, (float)other, FSpan); storage.Version++; return this; }
            return InPlace("add_", null, t => t + other);
        }

        public Tensor sub_(Tensor other, double alpha = 1)
        {
            if (FastInPlace(other) && alpha == 1) { TensorPrimitives.Subtract(FSpan, other.FSpan, FSpan); storage.Version++; return this; }
            return InPlace("sub_", other, t => alpha == 1 ? t - other : t - other * alpha);
        }

        public Tensor sub_(double other) => add_(-other);

        public Tensor mul_(Tensor other)
        {
            if (FastInPlace(other)) { TensorPrimitives.Multiply(FSpan, other.FSpan, FSpan); storage.Version++; return this; }
            return InPlace("mul_", other, t => t * other);
        }

        public Tensor mul_(double other)
        {
            if (FastInPlaceScalar) { TensorPrimitives.Multiply(FSpan, (float)other, FSpan); storage.Version++; return this; }
            return InPlace("mul_", null, t => t * other);
        }

        public Tensor div_(Tensor other)
        {
            if (FastInPlace(other)) { TensorPrimitives.Divide(FSpan, other.FSpan, FSpan); storage.Version++; return this; }
            return InPlace("div_", other, t => t / other);
        }

        public Tensor div_(double other) => mul_(1.0 / other);

        /// <summary>this += value * t1 * t2 (Adam's second moment update and similar).</summary>
        public Tensor addcmul_(Tensor tensor1, Tensor tensor2, double value = 1)
            => InPlace("addcmul_", tensor1.needsGrad ? tensor1 : tensor2, t => t + tensor1 * tensor2 * value);

        /// <summary>this += value * t1 / t2.</summary>
        public Tensor addcdiv_(Tensor tensor1, Tensor tensor2, double value = 1)
            => InPlace("addcdiv_", tensor1.needsGrad ? tensor1 : tensor2, t => t + tensor1 / tensor2 * value);

        public Tensor pow_(double exponent) => InPlace("pow_", null, t => t.pow(exponent));
        public Tensor neg_() => InPlace("neg_", null, t => -t);
        public Tensor exp_() => InPlace("exp_", null, t => t.exp());
        public Tensor log_() => InPlace("log_", null, t => t.log());
        public Tensor sqrt_() => InPlace("sqrt_", null, t => t.sqrt());
        public Tensor abs_() => InPlace("abs_", null, t => t.abs());
        public Tensor relu_() => InPlace("relu_", null, t => t.relu());
        public Tensor sigmoid_() => InPlace("sigmoid_", null, t => t.sigmoid());
        public Tensor tanh_() => InPlace("tanh_", null, t => t.tanh());
        public Tensor clamp_(double? min = null, double? max = null) => InPlace("clamp_", null, t => t.clamp(min, max));
        public Tensor clip_(double? min = null, double? max = null) => clamp_(min, max);
        public Tensor lerp_(Tensor end, double weight) => InPlace("lerp_", end, t => t + (end - t) * weight);

        public Tensor zero_() => fill_(0);

        public Tensor fill_(double value)
        {
            CheckInPlaceLeaf("fill_");
            if (contig)
            {
                switch (dt)
                {
                    case ScalarType.Float32: FSpan.Fill((float)value); break;
                    case ScalarType.Int64: LSpan.Fill((long)value); break;
                    default: BSpan.Fill(value != 0); break;
                }
                storage.Version++;
                if (GradMode.Enabled && gradFn is not null) { gradFn = null; needsGrad = false; }
                return this;
            }
            return WriteFrom(full(shape, value, dt));
        }

        /// <summary>Copies src (broadcast) into this tensor. Differentiable with respect to src.</summary>
        public Tensor copy_(Tensor src, bool non_blocking = false)
        {
            if (!(GradMode.Enabled && (needsGrad || src.needsGrad))) return WriteFrom(src);
            return InPlace("copy_", src, t => t * 0.0 + src.to(dt));
        }

        public Tensor set_(Tensor src) => copy_(src);
    }
}
