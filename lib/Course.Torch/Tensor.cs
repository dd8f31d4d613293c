using System.Runtime.CompilerServices;

namespace Course.Torch;

public static partial class torch
{
    /// <summary>
    /// An n-dimensional array of Float32, Int64 or Bool with strides over a shared <see cref="Storage"/>, and
    /// autograd state. Views (reshape of contiguous data, slices, transpose, expand) share storage.
    /// Memory is managed: Dispose is a no-op kept for TorchSharp source compatibility.
    /// </summary>
    [TypeFormatterSource(typeof(Display.TensorFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
    /// <remarks>Not sealed only so <see cref="Modules.Parameter"/> can derive from it, as in TorchSharp; members stay
    /// non-virtual so the hot paths do not pay for dispatch.</remarks>
    public partial class Tensor : IDisposable
    {
        internal readonly Storage storage;
        internal readonly int offset;
        internal readonly int[] shp;
        internal readonly int[] stv;
        internal readonly ScalarType dt;
        internal readonly int count;
        internal readonly bool contig;
        /// <summary>The tensor whose storage this view shares (null for a base tensor).</summary>
        internal readonly Tensor? viewBase;

        internal bool needsGrad;
        internal Node? gradFn;
        Tensor? _grad;
        /// <summary>Set on a fused Linear+ReLU output: the next linear's input-gradient GEMM may apply its relu mask.</summary>
        internal bool reluFusedOutput;
        /// <summary>On a gradient: the relu output whose mask (y > 0) it already carries, so that relu's backward passes it on.</summary>
        internal Tensor? reluMaskedFor;

        internal Tensor(Storage storage, int offset, int[] shape, int[] strides, ScalarType dtype, Tensor? viewBase = null)
        {
            this.storage = storage; this.offset = offset; shp = shape; stv = strides; dt = dtype;
            count = Shape.Numel(shape);
            contig = Shape.IsContiguous(shape, strides);
            this.viewBase = viewBase is null ? null : viewBase.viewBase ?? viewBase;
        }

        /// <summary>
        /// A new tensor object over <paramref name="other"/>'s storage and geometry with fresh autograd state (a leaf
        /// that does not require grad): the base of <see cref="Modules.Parameter"/>. Writes show through both.
        /// </summary>
        protected Tensor(Tensor other)
            : this((other ?? throw new ArgumentNullException(nameof(other))).storage, other.offset, other.shp, other.stv, other.dt, other.viewBase) { }

        /// <summary>A fresh contiguous tensor of the given shape. Uninitialised unless zero is true.</summary>
        internal static Tensor Empty(int[] shape, ScalarType dtype = ScalarType.Float32, bool zero = false)
            => new(Storage.Allocate(dtype, Shape.Numel(shape), zero), 0, shape, Shape.ContiguousStrides(shape), dtype);

        internal static Tensor FromArray(float[] data, int[] shape) => new(new Storage(data), 0, shape, Shape.ContiguousStrides(shape), ScalarType.Float32);
        internal static Tensor FromArray(long[] data, int[] shape) => new(new Storage(data), 0, shape, Shape.ContiguousStrides(shape), ScalarType.Int64);
        internal static Tensor FromArray(bool[] data, int[] shape) => new(new Storage(data), 0, shape, Shape.ContiguousStrides(shape), ScalarType.Bool);

        /// <summary>A view of the same storage with another geometry (shares the version counter).</summary>
        internal Tensor View(int off, int[] shape, int[] strides) => new(storage, off, shape, strides, dt, this);

        // ---- metadata -------------------------------------------------------------------------------------

        public long[] shape => Shape.ToLong(shp);
        public long size(int dim) => shp[Shape.Dim(dim, shp.Length, "size")];
        public long size(long dim) => shp[Shape.Dim(dim, shp.Length, "size")];
        public long[] size() => shape;
        public long ndim => shp.Length;
        public long Dimensions => shp.Length;
        public long dim() => shp.Length;
        public long numel() => count;
        public long NumberOfElements => count;
        public long[] stride() => Shape.ToLong(stv);
        public long stride(int dim) => stv[Shape.Dim(dim, shp.Length, "stride")];
        public ScalarType dtype => dt;
        public Device device => CPU;
        public DeviceType device_type => DeviceType.CPU;
        public bool is_contiguous() => contig;
        public bool is_leaf => gradFn is null;
        public long element_size() => dt switch { ScalarType.Float32 => 4, ScalarType.Int64 => 8, _ => 1 };
        public bool IsInvalid => false;

        /// <summary>Whether gradients flow to/through this tensor. Settable only on leaves, as in PyTorch.</summary>
        public bool requires_grad
        {
            get => needsGrad;
            set
            {
                if (!value && gradFn is not null)
                    throw new InvalidOperationException("requires_grad: cannot set requires_grad = false on a non-leaf tensor; use detach().");
                if (value && dt != ScalarType.Float32)
                    throw new InvalidOperationException($"requires_grad: only Float32 tensors can require gradients, this one is {dt}.");
                needsGrad = value;
            }
        }

        public Tensor requires_grad_(bool requires_grad = true) { this.requires_grad = requires_grad; return this; }

        /// <summary>Accumulated gradient of a leaf; null until the first backward reaches it.</summary>
        public Tensor? grad
        {
            get => _grad;
            set
            {
                if (value is not null && !Shape.SameShape(value.shp, shp))
                    throw new ArgumentException($"grad: assigned gradient of shape {Shape.Str(value.shp)} to a tensor of shape {Shape.Str(shp)}.");
                _grad = value;
            }
        }

        // ---- dispose-scope compatibility (memory is managed) -----------------------------------------------

        public void Dispose() { }
        public Tensor MoveToOuterDisposeScope() => this;
        public Tensor DetachFromDisposeScope() => this;
        public Tensor MoveToOtherDisposeScope(DisposeScope? scope) { _ = scope; return this; }

        public Tensor cpu() => this;
        public Tensor to(Device device) { device.RequireCpu("Tensor.to"); return this; }
        public Tensor to(DeviceType type) { Device.RequireCpu(type, "Tensor.to"); return this; }
        public Tensor to(string device) { _ = new Device(device); return this; }

        // ---- raw access for kernels (internal) ----------------------------------------------------------------

        /// <summary>Float data of a contiguous tensor (caller checked contig and dtype).</summary>
        internal Span<float> FSpan
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => new(storage.F, offset, count);
        }
        internal Span<long> LSpan => new(storage.L, offset, count);
        internal Span<bool> BSpan => new(storage.B, offset, count);

        /// <summary>A contiguous Float32 tensor with this tensor's values (itself when already so).</summary>
        internal Tensor ContigF(string op)
        {
            if (dt != ScalarType.Float32)
            {
                if (dt == ScalarType.Int64 || dt == ScalarType.Bool) return Strided.Convert(this, ScalarType.Float32);
                throw new ArgumentException($"{op}: expected a Float32 tensor, got {dt}.");
            }
            return contig ? this : Strided.Contiguous(this);
        }

        internal void CheckFloat(string op)
        {
            if (dt != ScalarType.Float32) throw new ArgumentException($"{op}: expected a Float32 tensor, got {dt} of shape {Shape.Str(shp)}.");
        }

        internal string ShapeStr => Shape.Str(shp);

        /// <summary>Metadata only, as TorchSharp: <c>[2x3], type = Float32, device = cpu</c>.</summary>
        public override string ToString() => $"[{string.Join("x", shp)}], type = {dt}, device = cpu";
    }
}
