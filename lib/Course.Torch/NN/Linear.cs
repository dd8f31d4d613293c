namespace Course.Torch.Modules;

using static Course.Torch.torch;

/// <summary>y = x W^T + b with weight [out, in] and bias [out]; PyTorch's default initialisation.</summary>
public sealed class Linear : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    public Parameter? bias;
    public readonly long in_features, out_features;

    internal Linear(long inputSize, long outputSize, bool hasBias) : base("Linear")
    {
        if (inputSize <= 0 || outputSize <= 0) throw new ArgumentException($"Linear: sizes must be positive, got in = {inputSize}, out = {outputSize}.");
        in_features = inputSize; out_features = outputSize;
        weight = new Parameter(empty(outputSize, inputSize));
        bias = hasBias ? new Parameter(empty(outputSize)) : null;
        nn.init.DefaultLayerInit(weight, bias?.tensor, inputSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias?.tensor);
}

