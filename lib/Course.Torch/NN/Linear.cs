namespace Course.Torch.Modules;

using static Course.Torch.torch;

/// <summary>y = x W^T + b with weight [out, in] and bias [out]; PyTorch's default initialisation.</summary>
public sealed class Linear : nn.Module<Tensor, Tensor>
{
    Parameter _weight;
    Parameter? _bias;

    /// <summary>Assigning a new parameter re-registers it under the same name, as TorchSharp's setter does.</summary>
    public Parameter weight { get => _weight; set { ArgumentNullException.ThrowIfNull(value); _weight = value; register_parameter("weight", value); } }
    public Parameter? bias { get => _bias; set { _bias = value; register_parameter("bias", value); } }
    public readonly long in_features, out_features;

    internal Linear(long inputSize, long outputSize, bool hasBias) : base("Linear")
    {
        if (inputSize <= 0 || outputSize <= 0) throw new ArgumentException($"Linear: sizes must be positive, got in = {inputSize}, out = {outputSize}.");
        in_features = inputSize; out_features = outputSize;
        _weight = new Parameter(empty(outputSize, inputSize));
        _bias = hasBias ? new Parameter(empty(outputSize)) : null;
        nn.init.DefaultLayerInit(_weight, _bias, inputSize);
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
    }

    protected override string extra_repr() => $"in_features={in_features}, out_features={out_features}, bias={(_bias is null ? "False" : "True")}";

    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias);

    /// <summary>relu(forward(input)) in one pass over the output (Sequential fuses Linear followed by ReLU).</summary>
    internal Tensor ForwardRelu(Tensor input) => FusedLinear.Forward(input, weight, bias, relu: true);
}

