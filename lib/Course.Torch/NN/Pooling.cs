namespace Course.Torch.Modules;

using static Course.Torch.torch;

/// <summary>Max pooling over [N, C, H, W]; stride defaults to the kernel size.</summary>
public sealed class MaxPool2d : nn.Module<Tensor, Tensor>
{
    public readonly long[] kernel_size, stride, padding, dilation;
    public readonly bool ceil_mode;

    internal MaxPool2d(long[] kernel, long[]? stride, long[]? padding, long[]? dilation, bool ceil_mode) : base("MaxPool2d")
    {
        kernel_size = kernel; this.stride = stride ?? kernel; this.padding = padding ?? [0]; this.dilation = dilation ?? [1]; this.ceil_mode = ceil_mode;
    }

    public override Tensor forward(Tensor input) => nn.functional.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode);
}

/// <summary>Average pooling over [N, C, H, W]; stride defaults to the kernel size.</summary>
public sealed class AvgPool2d : nn.Module<Tensor, Tensor>
{
    public readonly long[] kernel_size, stride, padding;
    public readonly bool ceil_mode, count_include_pad;

    internal AvgPool2d(long[] kernel, long[]? stride, long[]? padding, bool ceil_mode, bool count_include_pad) : base("AvgPool2d")
    {
        kernel_size = kernel; this.stride = stride ?? kernel; this.padding = padding ?? [0];
        this.ceil_mode = ceil_mode; this.count_include_pad = count_include_pad;
    }

    public override Tensor forward(Tensor input) => nn.functional.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad);
}

/// <summary>Resizes the spatial dims by size or scale_factor (nearest neighbour).</summary>
public sealed class Upsample : nn.Module<Tensor, Tensor>
{
    readonly long[]? size;
    readonly double[]? scale_factor;
    readonly InterpolationMode mode;

    internal Upsample(long[]? size, double[]? scale_factor, InterpolationMode mode) : base("Upsample")
    {
        if (size is null && scale_factor is null) throw new ArgumentException("Upsample: give either size or scale_factor.");
        this.size = size; this.scale_factor = scale_factor; this.mode = mode;
    }

    public override Tensor forward(Tensor input) => nn.functional.interpolate(input, size, scale_factor, mode);
}
