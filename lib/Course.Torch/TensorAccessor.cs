using System.Collections;

namespace Course.Torch;

public static partial class torch
{
    /// <summary>Element access by multi-index (TorchSharp's data&lt;T&gt;()). Reads and writes go to the tensor's storage.</summary>
    public sealed class TensorAccessor<T> : IEnumerable<T> where T : unmanaged
    {
        readonly Tensor t;
        internal TensorAccessor(Tensor t) => this.t = t;

        public long Count => t.count;

        int Offset(ReadOnlySpan<long> idx)
        {
            if (idx.Length == 1 && t.shp.Length != 1)
            {
                // A single flat index over all elements in row-major order.
                long flat = idx[0];
                if (flat < 0 || flat >= t.count) throw new IndexOutOfRangeException($"data: flat index {flat} out of range for {t.count} elements.");
                int off = t.offset;
                for (int d = t.shp.Length - 1; d >= 0; d--) { off += (int)(flat % t.shp[d]) * t.stv[d]; flat /= t.shp[d]; }
                return off;
            }
            if (idx.Length != t.shp.Length) throw new ArgumentException($"data: {idx.Length} indices for a tensor of rank {t.shp.Length}.");
            int o = t.offset;
            for (int d = 0; d < idx.Length; d++)
            {
                long i = idx[d] < 0 ? idx[d] + t.shp[d] : idx[d];
                if (i < 0 || i >= t.shp[d]) throw new IndexOutOfRangeException($"data: index {idx[d]} out of range for dim {d} of size {t.shp[d]}.");
                o += (int)i * t.stv[d];
            }
            return o;
        }

        public T this[params long[] indices]
        {
            get => Get(Offset(indices));
            set { Set(Offset(indices), value); t.storage.Version++; }
        }

        T Get(int o)
        {
            object v = t.dt switch
            {
                ScalarType.Float32 => t.storage.F![o],
                ScalarType.Int64 => t.storage.L![o],
                _ => t.storage.B![o],
            };
            return Cast(v);
        }

        static T Cast(object v)
        {
            if (v is T x) return x;
            // Float to integer truncates toward zero, as C# casts and PyTorch's int() (Convert would round).
            if (v is float f && (typeof(T) == typeof(long) || typeof(T) == typeof(int))) v = MathF.Truncate(f);
            return (T)System.Convert.ChangeType(v is bool b ? (b ? 1 : 0) : v, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
        }

        void Set(int o, T value)
        {
            switch (t.dt)
            {
                case ScalarType.Float32: t.storage.F![o] = System.Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case ScalarType.Int64: t.storage.L![o] = System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture); break;
                default: t.storage.B![o] = System.Convert.ToBoolean(value, System.Globalization.CultureInfo.InvariantCulture); break;
            }
        }

        /// <summary>All elements in row-major order as a new array.</summary>
        public T[] ToArray()
        {
            var c = t.contig ? t : Strided.Contiguous(t);
            if (typeof(T) == typeof(float) && c.dt == ScalarType.Float32) return (T[])(object)c.FSpan.ToArray();
            if (typeof(T) == typeof(long) && c.dt == ScalarType.Int64) return (T[])(object)c.LSpan.ToArray();
            if (typeof(T) == typeof(bool) && c.dt == ScalarType.Bool) return (T[])(object)c.BSpan.ToArray();
            var r = new T[c.count];
            for (int i = 0; i < r.Length; i++) r[i] = new TensorAccessor<T>(c).Get(c.offset + i);
            return r;
        }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)ToArray()).GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    public partial class Tensor
    {
        public TensorAccessor<T> data<T>() where T : unmanaged
        {
            CheckAccessType<T>("data");
            return new TensorAccessor<T>(this);
        }

        /// <summary>
        /// As TorchSharp, item&lt;T&gt;/data&lt;T&gt; read the storage as T, so T must be the dtype's element type (float,
        /// long, bool). One lossless widening is allowed: double from Float32. ToDouble()/ToInt64()/casts convert.
        /// </summary>
        void CheckAccessType<T>(string op)
        {
            var want = dt switch { ScalarType.Float32 => typeof(float), ScalarType.Int64 => typeof(long), _ => typeof(bool) };
            if (typeof(T) == want || (typeof(T) == typeof(double) && dt == ScalarType.Float32)) return;
            throw new InvalidOperationException(
                $"{op}<{ClrName(typeof(T))}>: the tensor's dtype is {dt} (shape {ShapeStr}); use {op}<{ClrName(want)}>(), or convert first with .to({ClrName(typeof(T)) switch { "Int64" => "int64", "Boolean" => "@bool", _ => "float32" }}).");
        }

        static string ClrName(Type t) => t == typeof(float) ? "Float32" : t == typeof(double) ? "Float64" : t.Name;

        /// <summary>The value of a one-element tensor, read as its own element type.</summary>
        public T item<T>() where T : unmanaged
        {
            CheckAccessType<T>("item");
            return Scalar<T>();
        }

        /// <summary>A one-element tensor's value converted to T (TorchSharp's ToDouble()/ToInt64()/casts convert).</summary>
        T Scalar<T>() where T : unmanaged
        {
            if (count != 1) throw new InvalidOperationException($"item: only one-element tensors can be converted to a scalar; this one has shape {ShapeStr} ({count} elements).");
            return new TensorAccessor<T>(this)[0];
        }

        public float ToSingle() => Scalar<float>();
        public double ToDouble() => Scalar<double>();
        public long ToInt64() => Scalar<long>();
        public int ToInt32() => Scalar<int>();
        public bool ToBoolean() => Scalar<bool>();
        public float[] ToArray() => new TensorAccessor<float>(this).ToArray();

        public static explicit operator float(Tensor t) => t.Scalar<float>();
        public static explicit operator double(Tensor t) => t.Scalar<double>();
        public static explicit operator long(Tensor t) => t.Scalar<long>();
        public static explicit operator int(Tensor t) => t.Scalar<int>();
        public static explicit operator bool(Tensor t) => t.Scalar<bool>();

        /// <summary>Converts to another dtype (differentiable for Float32 to Float32 only).</summary>
        public Tensor to(ScalarType type, bool copy = false)
        {
            if (type == dt) return copy ? clone() : this;
            return Strided.Convert(this, type);
        }

        public Tensor to_type(ScalarType type) => to(type);
        public Tensor type(ScalarType type) => to(type);
        public Tensor @float() => to(ScalarType.Float32);
        public Tensor @long() => to(ScalarType.Int64);
        public Tensor @bool() => to(ScalarType.Bool);
        public Tensor to(ScalarType type, Device device) { device.RequireCpu("Tensor.to"); return to(type); }
    }
}
