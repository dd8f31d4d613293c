using Course.Torch;
using static Course.Torch.torch;
using F = Course.Torch.torch.nn.functional;

namespace Course.Torch.Tests;

public class ForwardValueTests
{
    [Fact]
    public void Conv2d_matches_a_plain_loop()
    {
        var x = randn([2, 4, 7, 6], generator: new Generator(1));
        var w = randn([6, 2, 3, 2], generator: new Generator(2));
        var b = randn([6], generator: new Generator(3));
        int stride = 2, pad = 1, dil = 2, groups = 2;
        var y = F.conv2d(x, w, b, strides: [stride], padding: [pad], dilation: [dil], groups: groups);
        var xs = x.data<float>(); var ws = w.data<float>(); var bs = b.data<float>();
        int oh = (7 + 2 * pad - dil * 2 - 1) / stride + 1, ow = (6 + 2 * pad - dil * 1 - 1) / stride + 1;
        Assert.Equal(new long[] { 2, 6, oh, ow }, y.shape);
        var ys = y.data<float>();
        for (int n = 0; n < 2; n++)
            for (int k = 0; k < 6; k++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double s = bs[k]; int g = k / 3;
                        for (int c = 0; c < 2; c++)
                            for (int r = 0; r < 3; r++)
                                for (int q = 0; q < 2; q++)
                                {
                                    int hi = i * stride - pad + r * dil, wi = j * stride - pad + q * dil;
                                    if (hi < 0 || hi >= 7 || wi < 0 || wi >= 6) continue;
                                    s += xs[n, g * 2 + c, hi, wi] * ws[k, c, r, q];
                                }
                        Assert.Equal(s, ys[n, k, i, j], 4);
                    }
    }

    [Fact]
    public void Conv_transpose2d_is_the_adjoint_of_conv2d()
    {
        // <conv(x), y> == <x, conv_transpose(y)> for the same weight.
        var x = randn([1, 3, 6, 6], generator: new Generator(1));
        var w = randn([4, 3, 3, 3], generator: new Generator(2));
        var y = randn([1, 4, 3, 3], generator: new Generator(3));
        var lhs = (F.conv2d(x, w, strides: [2], padding: [1]) * y).sum().item<float>();
        var t = F.conv_transpose2d(y, w, stride: [2], padding: [1], output_padding: [1]);
        Assert.Equal(new long[] { 1, 3, 6, 6 }, t.shape);
        Assert.Equal(lhs, (x * t).sum().item<float>(), 3);
    }

    [Fact]
    public void Matmul_matches_naive_products()
    {
        var a = randn([2, 3, 5], generator: new Generator(1));
        var b = randn([5, 4], generator: new Generator(2));
        var c = a.matmul(b);
        var av = a.data<float>(); var bv = b.data<float>(); var cv = c.data<float>();
        for (int n = 0; n < 2; n++) for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++)
        {
            double s = 0; for (int k = 0; k < 5; k++) s += av[n, i, k] * bv[k, j];
            Assert.Equal(s, cv[n, i, j], 4);
        }
        Assert.True(a.matmul(b).allclose(a.bmm(b.expand(2, 5, 4)), 1e-5, 1e-5));
        Assert.True(b.t().matmul(b).allclose(b.t().contiguous().mm(b), 1e-5, 1e-5));
    }

    [Fact]
    public void Logsumexp_is_stable_for_large_inputs()
    {
        var x = tensor(new float[] { 1000, 1000, -1000, 1e4f });
        var r = x.reshape(2, 2).logsumexp(1);
        Assert.Equal(1000 + MathF.Log(2), r[0].item<float>(), 3);
        Assert.Equal(1e4f, r[1].item<float>(), 2);
        var sm = x.reshape(2, 2).softmax(1);
        Assert.True(isfinite(sm).all().item<bool>());
    }

    [Fact]
    public void Softmax_rows_sum_to_one_and_log_softmax_agrees()
    {
        var x = randn([5, 7], generator: new Generator(4)) * 10;
        var s = x.softmax(1);
        Assert.True(s.sum(1).allclose(ones(5), 1e-5, 1e-5));
        Assert.True(x.log_softmax(1).exp().allclose(s, 1e-5, 1e-6));
        Assert.True(x.softmax(0).sum(0).allclose(ones(7), 1e-5, 1e-5));
        Assert.True(F.softmax(x, 1).allclose(s));
    }

    [Fact]
    public void Var_and_std_are_unbiased_by_default()
    {
        var x = tensor(new float[] { 2, 3, 5 });
        Assert.Equal(7f / 3, x.var().item<float>(), 5);              // sum sq dev 14/3 / (3 - 1)
        Assert.Equal(14f / 9, x.var(unbiased: false).item<float>(), 5);
        Assert.Equal(MathF.Sqrt(7f / 3), x.std().item<float>(), 5);
        Assert.Equal(10f / 3, x.mean().item<float>(), 5);
    }

    [Fact]
    public void Reductions_over_dims_and_max_indices()
    {
        var x = tensor(new float[] { 1, 5, 3, 9, 2, 4 }, [2, 3]);
        Assert.Equal(new float[] { 9, 15 }, x.sum(1).data<float>().ToArray());
        Assert.Equal(new float[] { 10, 7, 7 }, x.sum(0).data<float>().ToArray());
        Assert.Equal(new long[] { 1, 3 }, x.sum(0, keepdim: true).shape);
        var (v, i) = x.max(1);
        Assert.Equal(new float[] { 5, 9 }, v.data<float>().ToArray());
        Assert.Equal(new long[] { 1, 0 }, i.data<long>().ToArray());
        Assert.Equal(3L, x.argmax().item<long>());
        Assert.Equal(new long[] { 1, 0, 1 }, x.argmax(0).data<long>().ToArray());
        Assert.Equal(1f, x.min().item<float>());
        Assert.Equal(new float[] { 3, 5 }, x.mean([1]).data<float>().ToArray());
        Assert.Equal(new float[] { 1, 6, 9, 18, 20, 24 }, x.reshape(6).cumsum(0).data<float>().ToArray());
        Assert.Equal(24f, x.sum([0, 1]).item<float>());
        var big = randn([3, 4, 5, 6], generator: new Generator(9));
        Assert.Equal(big.sum().item<float>(), big.sum([0, 2]).sum().item<float>(), 3);
        Assert.Equal(big.sum(1).sum(2).data<float>()[0, 0], big.sum([1, 3]).data<float>()[0, 0], 4);
    }

    [Fact]
    public void Pooling_and_upsampling_values()
    {
        var x = arange(16L).reshape(1, 1, 4, 4).to(float32);
        Assert.Equal(new float[] { 5, 7, 13, 15 }, F.max_pool2d(x, [2]).data<float>().ToArray());
        Assert.Equal(new float[] { 2.5f, 4.5f, 10.5f, 12.5f }, F.avg_pool2d(x, [2]).data<float>().ToArray());
        var up = F.interpolate(tensor(new float[] { 1, 2, 3, 4 }, [1, 1, 2, 2]), scale_factor: [2.0]);
        Assert.Equal(new float[] { 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4 }, up.data<float>().ToArray());
        Assert.Equal(new long[] { 1, 1, 6, 7 }, F.pad(x, [1, 2, 0, 2]).shape);
    }

    [Fact]
    public void Activations_match_formulas()
    {
        var x = tensor(new float[] { -2, -0.5f, 0.5f, 3 });
        var xs = x.data<float>().ToArray();
        var gelu = x.gelu().data<float>().ToArray();
        float[] expectGelu = { -0.04550026f, -0.15426877f, 0.34573123f, 2.99595031f };
        for (int i = 0; i < 4; i++) Assert.Equal(expectGelu[i], gelu[i], 5);
        var sp = x.softplus().data<float>().ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal(MathF.Log(1 + MathF.Exp(xs[i])), sp[i], 5);
        Assert.Equal(new float[] { -0.4f, -0.1f, 0.5f, 3 }, x.leaky_relu(0.2).data<float>().ToArray());
        Assert.Equal(-1000f, tensor(-1000f).logsigmoid().item<float>(), 3);
        Assert.Equal(new long[] { 0, 1, 0, 0, 0, 0, 0, 1 }, F.one_hot(tensor(new long[] { 1, 3 }), 4).data<long>().ToArray());
    }

    [Fact]
    public void Gather_where_cat_stack_chunk()
    {
        var x = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        Assert.Equal(new float[] { 1, 1, 4, 3 }, x.gather(1, tensor(new long[] { 0, 0, 1, 0 }, [2, 2])).data<float>().ToArray());
        Assert.Equal(new float[] { 0, 2, 3, 4 }, where(x > 1, x, 0.0).data<float>().ToArray());
        Assert.Equal(new long[] { 4, 2 }, cat([x, x], 0).shape);
        Assert.Equal(new long[] { 2, 2, 2 }, stack([x, x], 2).shape);
        var parts = arange(7L).chunk(3);
        Assert.Equal(3, parts.Length); Assert.Equal(new long[] { 6 }, parts[2].data<long>().ToArray());
        Assert.Equal(new float[] { 1, 2, 3, 4, 1, 2, 3, 4 }, x.repeat(2, 1).data<float>().ToArray());
    }
}
