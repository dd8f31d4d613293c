namespace Course.Torch.Modules;

using static Course.Torch.torch;

/// <summary>
/// A trainable tensor owned by a module (TorchSharp's <c>Parameter</c>, a subclass of Tensor). It shares the given
/// tensor's storage and geometry but starts a fresh leaf that requires grad by default, as in PyTorch, so every
/// tensor member, operator and op works on it directly.
/// </summary>
public class Parameter : Tensor
{
    public Parameter(Tensor data, bool requires_grad = true) : base(CheckData(data))
    {
        this.requires_grad = requires_grad;
    }

    static Tensor CheckData(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.dt != ScalarType.Float32)
            throw new ArgumentException($"Parameter: parameters must be Float32, got {data.dt} of shape {data.ShapeStr}.");
        return data;
    }
}
