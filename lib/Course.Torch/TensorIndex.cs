namespace Course.Torch;

public static partial class torch
{
    /// <summary>One entry of an index expression: t[TensorIndex.Slice(1, 3), TensorIndex.None, ...].</summary>
    public sealed class TensorIndex
    {
        internal enum Kind { Single, Slice, Ellipsis, None, Tensor, BoolScalar }

        internal readonly Kind kind;
        internal readonly long index;
        internal readonly long? start, stop, step;
        internal readonly Tensor? tensor;
        internal readonly bool boolValue;

        TensorIndex(Kind kind, long index = 0, long? start = null, long? stop = null, long? step = null, Tensor? tensor = null, bool b = false)
        {
            this.kind = kind; this.index = index; this.start = start; this.stop = stop; this.step = step; this.tensor = tensor; boolValue = b;
        }

        public static TensorIndex Single(long index) => new(Kind.Single, index);
        public static TensorIndex Slice(long? start = null, long? stop = null, long? step = null) => new(Kind.Slice, start: start, stop: stop, step: step);
        public static readonly TensorIndex Colon = new(Kind.Slice);
        public static readonly TensorIndex Ellipsis = new(Kind.Ellipsis);
        public static readonly TensorIndex None = new(Kind.None);
        /// <summary>An Int64 index tensor, or a Bool mask.</summary>
        public static TensorIndex Tensor(Tensor t) => new(Kind.Tensor, tensor: t);
        /// <summary>A Bool mask tensor (selects where true).</summary>
        public static TensorIndex Bool(Tensor mask)
        {
            if (mask.dt != ScalarType.Bool) throw new ArgumentException($"TensorIndex.Bool: expected a Bool mask, got {mask.dt}.");
            return new(Kind.Tensor, tensor: mask);
        }
        /// <summary>A scalar bool index: true adds a dim of size 1, false a dim of size 0.</summary>
        public static TensorIndex Bool(bool value) => new(Kind.BoolScalar, b: value);

        public static implicit operator TensorIndex(long index) => Single(index);
        public static implicit operator TensorIndex(Tensor t) => Tensor(t);
        public static implicit operator TensorIndex(Index i) => i.IsFromEnd ? Single(-i.Value) : Single(i.Value);
        public static implicit operator TensorIndex(Range r) => Slice(
            r.Start.IsFromEnd ? -r.Start.Value : r.Start.Value,
            r.End.IsFromEnd ? (r.End.Value == 0 ? null : -r.End.Value) : r.End.Value);
        public static implicit operator TensorIndex((long? start, long? stop) s) => Slice(s.start, s.stop);
        public static implicit operator TensorIndex((long? start, long? stop, long? step) s) => Slice(s.start, s.stop, s.step);

        public override string ToString() => kind switch
        {
            Kind.Single => index.ToString(),
            Kind.Slice => $"{start}:{stop}" + (step is null ? "" : $":{step}"),
            Kind.Ellipsis => "...",
            Kind.None => "None",
            Kind.Tensor => tensor!.ToString(),
            _ => boolValue.ToString(),
        };
    }
}
