using Course.Torch;
using static Course.Torch.torch;
using static Course.Torch.Tests.GradCheck;

namespace Course.Torch.Tests;

/// <summary>
/// Cases issue 2 asks for that the other files did not cover: reductions and products on non-contiguous inputs,
/// broadcasting in every binary op with a backward, the tie and NaN rules of max/min/argmax, error texts.
/// </summary>
public class AuditGapTests
{
    // A transposed view and a strided slice: neither is contiguous.
    static Tensor T(int seed) => Randn([4, 3], seed);
    static Tensor Strided(int seed) => Randn([3, 8], seed);

    [Fact]
    public void Reductions_of_non_contiguous_inputs() => Check(x =>
    {
        var t = x[0].t();                              // [3, 4], strides [1, 3]
        var s = x[1][.., TensorIndex.Slice(null, null, 2)]; // [3, 4], stride 2 along dim 1
        return t.sum(1) + t.mean([0L]).sum() + t.var(1) + t.std(0).sum() + s.logsumexp(1)
            + s.max(1).values + t.min(0).values.sum() + s.amax([1L]) + t.cumsum(1).sum(1) + s.cumprod(1).sum(1)
            + t.softmax(0).sum(1) * s.log_softmax(1).sum(1);
    }, T(1), Strided(2));

    [Fact]
    public void Full_reductions_of_non_contiguous_inputs() =>
        Check(x => x[0].t().sum() + x[0].t().mean() * x[0].t().var() + x[1][.., 1..5].std() + x[1][.., ..2].logsumexp(0).sum(), T(3), Strided(4));

    [Fact]
    public void Binary_ops_broadcast_in_both_directions_with_gradients() => Check(x =>
    {
        var a = x[0];                    // [3, 1]
        var b = x[1];                    // [1, 4]
        return a.pow(b.abs() + 1) + (b + 3).pow(a) * 0.1 + a / (b.abs() + 1) + (b + 5) / (a.abs() + 1)
            + a.maximum(b) + b.minimum(a) + atan2(a, b.abs() + 0.5) + a.clamp(b - 2, b + 2);
    }, Positive([3, 1], 5), Randn([1, 4], 6) + 0.05);

    [Fact]
    public void Bmm_and_matmul_with_non_contiguous_operands() => Check(x =>
        x[0].transpose(1, 2).bmm(x[1]) + x[0].permute(0, 2, 1).matmul(x[1][.., .., ..]), Randn([2, 3, 4], 7), Randn([2, 3, 5], 8));

    [Fact]
    public void Max_min_and_argmax_over_a_dim_take_the_first_of_tied_values()
    {
        var x = tensor(new float[] { 3, 1, 3, 2, 2, 0 }, [2, 3]);
        var (v, i) = x.max(1);
        Assert.Equal(new float[] { 3, 2 }, v.data<float>().ToArray());
        Assert.Equal(new long[] { 0, 0 }, i.data<long>().ToArray());
        Assert.Equal(new long[] { 0, 0 }, x.argmax(1).data<long>().ToArray());
        Assert.Equal(0L, x.argmax().item<long>());
        Assert.Equal(new long[] { 1, 2 }, x.argmin(1).data<long>().ToArray());
        // Gradient of max over a dim goes to that first index only (the full max() splits it among ties).
        var p = x.clone().requires_grad_();
        p.max(1).values.sum().backward();
        Assert.Equal(new float[] { 1, 0, 0, 1, 0, 0 }, p.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Max_and_argmax_propagate_nan()
    {
        var x = tensor(new float[] { 1, float.NaN, 5, 2 }, [1, 4]);
        var (v, i) = x.max(1);
        Assert.True(float.IsNaN(v.item<float>()));
        Assert.Equal(1L, i.item<long>());
        Assert.Equal(1L, x.argmax().item<long>());
        Assert.True(float.IsNaN(x.max().item<float>()));
        Assert.True(isnan(x).any().item<bool>());
        Assert.False(isfinite(x).all().item<bool>());
    }

    [Fact]
    public void Errors_name_the_op_and_both_shapes_or_the_dim_and_rank()
    {
        var e = Assert.Throws<ArgumentException>(() => ones(2, 3).bmm(ones(2, 4, 5)));
        Assert.Contains("bmm", e.Message); Assert.Contains("[2, 3]", e.Message); Assert.Contains("[2, 4, 5]", e.Message);
        var c = Assert.ThrowsAny<ArgumentException>(() => cat([ones(2, 3), ones(3, 4)], 0));
        Assert.Contains("cat", c.Message); Assert.Contains("[2, 3]", c.Message); Assert.Contains("[3, 4]", c.Message);
        var d = Assert.ThrowsAny<ArgumentException>(() => ones(2, 3).softmax(2));
        Assert.Contains("softmax: dim 2", d.Message); Assert.Contains("rank 2", d.Message);
        var l = Assert.ThrowsAny<ArgumentException>(() => torch.nn.functional.linear(ones(4, 3), ones(5, 2)));
        Assert.Contains("linear", l.Message); Assert.Contains("[4, 3]", l.Message); Assert.Contains("[5, 2]", l.Message);
    }
}
