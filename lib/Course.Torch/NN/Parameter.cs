namespace Course.Torch.Modules;

using static Course.Torch.torch;

/// <summary>
/// A trainable tensor owned by a module (TorchSharp's <c>Parameter</c>). TorchSharp derives it from Tensor; our
/// Tensor is sealed, so this wraps one tensor (sharing its storage) and converts to it implicitly. The common
/// tensor members and operators are forwarded so layer code reads the same; anything else goes through
/// <see cref="tensor"/> (or an implicit conversion when passed to an op).
/// </summary>
public sealed class Parameter
{
    /// <summary>The underlying tensor (a leaf; requires grad unless created with requires_grad: false).</summary>
    public Tensor tensor { get; }

    public Parameter(Tensor data, bool requires_grad = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.dt != ScalarType.Float32)
            throw new ArgumentException($"Parameter: parameters must be Float32, got {data.dt} of shape {data.ShapeStr}.");
        // Share storage with the given tensor but start a fresh leaf, as TorchSharp's Parameter does.
        tensor = data.is_leaf ? data : data.detach();
        tensor.requires_grad = requires_grad;
    }

    public static implicit operator Tensor(Parameter p) => p.tensor;

    // ---- forwarded tensor members ---------------------------------------------------------------------------
    public long[] shape => tensor.shape;
    public long size(int dim) => tensor.size(dim);
    public long[] size() => tensor.size();
    public long ndim => tensor.ndim;
    public long dim() => tensor.dim();
    public long numel() => tensor.numel();
    public ScalarType dtype => tensor.dtype;
    public Device device => tensor.device;
    public bool is_leaf => tensor.is_leaf;
    public bool requires_grad { get => tensor.requires_grad; set => tensor.requires_grad = value; }
    public Parameter requires_grad_(bool requires_grad = true) { tensor.requires_grad = requires_grad; return this; }
    public Tensor? grad { get => tensor.grad; set => tensor.grad = value; }
    public TensorAccessor<T> data<T>() where T : unmanaged => tensor.data<T>();
    public T item<T>() where T : unmanaged => tensor.item<T>();
    public float[] ToArray() => tensor.ToArray();
    public Tensor detach() => tensor.detach();
    public Tensor clone() => tensor.clone();
    public Tensor t() => tensor.t();
    public Tensor T => tensor.T;
    public Tensor view(params long[] shape) => tensor.view(shape);
    public Tensor reshape(params long[] shape) => tensor.reshape(shape);
    public Tensor sum() => tensor.sum();
    public Tensor mean() => tensor.mean();
    public Tensor abs() => tensor.abs();
    public Tensor pow(double exponent) => tensor.pow(exponent);
    public Tensor square() => tensor.square();
    public Tensor exp() => tensor.exp();
    public Tensor norm() => tensor.norm();
    public Tensor zero_() => tensor.zero_();
    public Tensor add_(Tensor other, double alpha = 1) => tensor.add_(other, alpha);
    public Tensor sub_(Tensor other, double alpha = 1) => tensor.sub_(other, alpha);
    public Tensor mul_(double other) => tensor.mul_(other);
    public Tensor matmul(Tensor other) => tensor.matmul(other);
    public Tensor unsqueeze(long dim) => tensor.unsqueeze(dim);
    public Tensor sigmoid() => tensor.sigmoid();
    public Tensor tanh() => tensor.tanh();
    public Tensor log() => tensor.log();
    public Tensor fill_(double value) => tensor.fill_(value);
    public Tensor copy_(Tensor src) => tensor.copy_(src);
    public Tensor normal_(double mean = 0, double std = 1, Generator? generator = null) => tensor.normal_(mean, std, generator);
    public Tensor uniform_(double from = 0, double to = 1, Generator? generator = null) => tensor.uniform_(from, to, generator);
    public Tensor to(Device device) { _ = device; return tensor; }
    public bool allclose(Tensor other, double rtol = 1e-05, double atol = 1e-08) => tensor.allclose(other, rtol, atol);
    public string str(string? fltFormat = null) => tensor.str(fltFormat);
    public override string ToString() => tensor.ToString();

    // Operators: both-sides overloads so `p * x`, `x * p`, `p * q` and `p * 2.0` compile without ambiguity.
    public static Tensor operator +(Parameter a, Parameter b) => a.tensor + b.tensor;
    public static Tensor operator +(Parameter a, Tensor b) => a.tensor + b;
    public static Tensor operator +(Tensor a, Parameter b) => a + b.tensor;
    public static Tensor operator +(Parameter a, double b) => a.tensor + b;
    public static Tensor operator +(double a, Parameter b) => a + b.tensor;
    public static Tensor operator -(Parameter a, Parameter b) => a.tensor - b.tensor;
    public static Tensor operator -(Parameter a, Tensor b) => a.tensor - b;
    public static Tensor operator -(Tensor a, Parameter b) => a - b.tensor;
    public static Tensor operator -(Parameter a, double b) => a.tensor - b;
    public static Tensor operator -(double a, Parameter b) => a - b.tensor;
    public static Tensor operator *(Parameter a, Parameter b) => a.tensor * b.tensor;
    public static Tensor operator *(Parameter a, Tensor b) => a.tensor * b;
    public static Tensor operator *(Tensor a, Parameter b) => a * b.tensor;
    public static Tensor operator *(Parameter a, double b) => a.tensor * b;
    public static Tensor operator *(double a, Parameter b) => a * b.tensor;
    public static Tensor operator /(Parameter a, Parameter b) => a.tensor / b.tensor;
    public static Tensor operator /(Parameter a, Tensor b) => a.tensor / b;
    public static Tensor operator /(Tensor a, Parameter b) => a / b.tensor;
    public static Tensor operator /(Parameter a, double b) => a.tensor / b;
    public static Tensor operator /(double a, Parameter b) => a / b.tensor;
    public static Tensor operator -(Parameter a) => -a.tensor;
}
