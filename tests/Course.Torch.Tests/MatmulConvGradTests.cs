using Course.Torch;
using static Course.Torch.torch;
using static Course.Torch.Tests.GradCheck;
using F = Course.Torch.torch.nn.functional;

namespace Course.Torch.Tests;

public class MatmulConvGradTests
{
    [Fact] public void Mm() => Check(x => x[0].mm(x[1]), Randn([3, 4], 1), Randn([4, 5], 2));
    [Fact] public void Mm_with_transposed_and_sliced_operands() => Check(x => x[0].t().mm(x[1][.., 1..5].t()), Randn([4, 3], 1), Randn([5, 6], 2));
    [Fact] public void Matmul_vector_cases() => Check(x => x[0].matmul(x[1]) + x[2].matmul(x[0]).sum() + x[1].matmul(x[1]), Randn([3, 4], 1), Randn([4], 2), Randn([3], 3));
    [Fact] public void Matmul_batched_broadcast() => Check(x => x[0].matmul(x[1]), Randn([2, 1, 3, 4], 1), Randn([3, 4, 2], 2));
    [Fact] public void Matmul_nd_by_2d() => Check(x => x[0].matmul(x[1]), Randn([2, 3, 4], 1), Randn([4, 2], 2));
    [Fact] public void Bmm() => Check(x => x[0].bmm(x[1].transpose(1, 2)), Randn([2, 3, 4], 1), Randn([2, 5, 4], 2));
    [Fact] public void Linear_fused() => Check(x => F.linear(x[0], x[1], x[2]), Randn([5, 4], 1), Randn([3, 4], 2), Randn([3], 3));
    [Fact] public void Linear_3d_input_no_bias() => Check(x => F.linear(x[0], x[1]), Randn([2, 5, 4], 1), Randn([3, 4], 2));

    [Fact] public void Conv2d_stride_padding_bias() => Check(x => F.conv2d(x[0], x[1], x[2], strides: [2], padding: [1]), Randn([2, 2, 5, 5], 1), Randn([3, 2, 3, 3], 2), Randn([3], 3));
    [Fact] public void Conv2d_dilation_groups() => Check(x => F.conv2d(x[0], x[1], null, dilation: [2], groups: 2), Randn([1, 4, 6, 6], 1), Randn([2, 2, 2, 2], 2));

    [Fact] public void Conv2d_masked_weight_expression_trains()
    {
        var mask = ones(3, 2, 3, 3);
        mask[.., .., 2, ..] = zeros(1);
        Check(x => F.conv2d(x[0], x[1] * mask, null, padding: [1]), Randn([1, 2, 4, 4], 1), Randn([3, 2, 3, 3], 2));
        var w = Randn([3, 2, 3, 3], 5).requires_grad_();
        F.conv2d(Randn([1, 2, 4, 4], 6), w * mask, padding: [1]).sum().backward();
        Assert.Equal(0f, w.grad![.., .., 2, ..].abs().sum().item<float>());
        Assert.True(w.grad!.abs().sum().item<float>() > 0);
    }

    [Fact] public void Conv_transpose2d() => Check(x => F.conv_transpose2d(x[0], x[1], x[2], stride: [2], padding: [1], output_padding: [1]), Randn([2, 3, 3, 3], 1), Randn([3, 2, 3, 3], 2), Randn([2], 3));
    [Fact] public void Conv_transpose2d_groups_dilation() => Check(x => F.conv_transpose2d(x[0], x[1], null, groups: 2, dilation: [2]), Randn([1, 4, 3, 3], 1), Randn([4, 1, 2, 2], 2));
    [Fact] public void Max_pool2d() => Check(x => F.max_pool2d(x[0], [2], [2]), Randn([2, 2, 4, 4], 1));
    [Fact] public void Avg_pool2d_with_padding() => Check(x => F.avg_pool2d(x[0], [3], [2], [1]), Randn([1, 2, 5, 5], 1));
    [Fact] public void Interpolate_nearest() => Check(x => F.interpolate(x[0], scale_factor: [2.0]), Randn([1, 2, 2, 3], 1));
    [Fact] public void Pad_constant_and_replicate() => Check(x => F.pad(x[0], [1, 2, 0, 1]).sum([2, 3]) + F.pad(x[0], [1, 1], PaddingModes.Replicate).sum([2, 3]), Randn([1, 2, 3, 3], 1));
}
