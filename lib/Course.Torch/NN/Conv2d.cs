namespace Course.Torch.Modules;

using static Course.Torch.torch;

/// <summary>2-D convolution, weight [out, in/groups, kh, kw]; PyTorch's default initialisation.</summary>
public sealed class Conv2d : nn.Module<Tensor, Tensor>
{
    Parameter _weight;
    Parameter? _bias;

    /// <summary>Assigning a new parameter re-registers it under the same name, as TorchSharp's setter does.</summary>
    public Parameter weight { get => _weight; set { ArgumentNullException.ThrowIfNull(value); _weight = value; register_parameter("weight", value); } }
    public Parameter? bias { get => _bias; set { _bias = value; register_parameter("bias", value); } }
    public readonly long in_channels, out_channels, groups;
    public readonly long[] kernel_size, stride, padding, dilation;

    internal Conv2d(long inChannels, long outChannels, (long, long) kernel, (long, long) stride, (long, long)? padding, Padding? paddingMode,
        (long, long) dilation, long groups, bool bias) : base("Conv2d")
    {
        if (inChannels <= 0 || outChannels <= 0 || groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Conv2d: in_channels {inChannels} and out_channels {outChannels} must be positive and divisible by groups {groups}.");
        if (kernel.Item1 <= 0 || kernel.Item2 <= 0) throw new ArgumentException($"Conv2d: kernel_size must be positive, got ({kernel.Item1}, {kernel.Item2}).");
        in_channels = inChannels; out_channels = outChannels; this.groups = groups;
        kernel_size = [kernel.Item1, kernel.Item2];
        this.stride = [stride.Item1, stride.Item2];
        this.dilation = [dilation.Item1, dilation.Item2];
        if (paddingMode == Padding.Same)
        {
            if (stride != (1, 1)) throw new ArgumentException("Conv2d: padding Same requires stride 1.");
            long th = dilation.Item1 * (kernel.Item1 - 1), tw = dilation.Item2 * (kernel.Item2 - 1);
            if (th % 2 != 0 || tw % 2 != 0) throw new NotSupportedException($"Conv2d: padding Same with an even total padding ({th}, {tw}) would be asymmetric; use an odd kernel.");
            this.padding = [th / 2, tw / 2];
        }
        else
        {
            var p = padding ?? (0, 0);
            this.padding = [p.Item1, p.Item2];
        }
        _weight = new Parameter(empty([outChannels, inChannels / groups, kernel.Item1, kernel.Item2]));
        _bias = bias ? new Parameter(empty(outChannels)) : null;
        nn.init.DefaultLayerInit(_weight, _bias, inChannels / groups * kernel.Item1 * kernel.Item2);
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
    }

    protected override string extra_repr() => $"{in_channels}, {out_channels}, kernel_size=({kernel_size[0]}, {kernel_size[1]}), stride=({stride[0]}, {stride[1]}), padding=({padding[0]}, {padding[1]})";

    public override Tensor forward(Tensor input)
        => nn.functional.conv2d(input, weight, bias, stride, padding, dilation, groups);
}

/// <summary>Transposed 2-D convolution, weight [in, out/groups, kh, kw]; PyTorch's default initialisation.</summary>
public sealed class ConvTranspose2d : nn.Module<Tensor, Tensor>
{
    Parameter _weight;
    Parameter? _bias;

    /// <summary>Assigning a new parameter re-registers it under the same name, as TorchSharp's setter does.</summary>
    public Parameter weight { get => _weight; set { ArgumentNullException.ThrowIfNull(value); _weight = value; register_parameter("weight", value); } }
    public Parameter? bias { get => _bias; set { _bias = value; register_parameter("bias", value); } }
    public readonly long in_channels, out_channels, groups;
    public readonly long[] kernel_size, stride, padding, output_padding, dilation;

    internal ConvTranspose2d(long inChannels, long outChannels, (long, long) kernel, (long, long) stride, (long, long) padding,
        (long, long) outputPadding, (long, long) dilation, long groups, bool bias) : base("ConvTranspose2d")
    {
        if (inChannels <= 0 || outChannels <= 0 || groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"ConvTranspose2d: in_channels {inChannels} and out_channels {outChannels} must be positive and divisible by groups {groups}.");
        in_channels = inChannels; out_channels = outChannels; this.groups = groups;
        kernel_size = [kernel.Item1, kernel.Item2];
        this.stride = [stride.Item1, stride.Item2];
        this.padding = [padding.Item1, padding.Item2];
        output_padding = [outputPadding.Item1, outputPadding.Item2];
        this.dilation = [dilation.Item1, dilation.Item2];
        _weight = new Parameter(empty([inChannels, outChannels / groups, kernel.Item1, kernel.Item2]));
        _bias = bias ? new Parameter(empty(outChannels)) : null;
        // PyTorch computes fan_in from weight dim 1 here (out/groups x kernel), and so do we.
        nn.init.DefaultLayerInit(_weight, _bias, outChannels / groups * kernel.Item1 * kernel.Item2);
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
    }

    protected override string extra_repr() => $"{in_channels}, {out_channels}, kernel_size=({kernel_size[0]}, {kernel_size[1]}), stride=({stride[0]}, {stride[1]}), padding=({padding[0]}, {padding[1]})";

    public override Tensor forward(Tensor input)
        => nn.functional.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation);
}
