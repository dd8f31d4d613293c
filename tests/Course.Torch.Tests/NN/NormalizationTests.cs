using Course.Torch;
using static Course.Torch.torch;
using F = Course.Torch.torch.nn.functional;

namespace Course.Torch.Tests.NN;

public class NormalizationTests
{
    [Fact]
    public void BatchNorm_training_normalises_each_channel_and_updates_running_stats()
    {
        var bn = nn.BatchNorm2d(3);
        var x = randn(8, 3, 4, 4, generator: new Generator(1)) * 2 + 5;
        var y = bn.forward(x);
        var mean = y.mean([0, 2, 3]).data<float>().ToArray();
        var var = y.var([0, 2, 3], unbiased: false).data<float>().ToArray();
        Assert.All(mean, m => Assert.InRange(m, -1e-4, 1e-4));
        Assert.All(var, v => Assert.InRange(v, 0.999, 1.0001));
        // running = 0.9 * init + 0.1 * batch (unbiased variance)
        var bm = x.mean([0, 2, 3]).data<float>().ToArray();
        var bv = x.var([0, 2, 3], unbiased: true).data<float>().ToArray();
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(0.1 * bm[c], bn.running_mean!.data<float>()[c], 4);
            Assert.Equal(0.9 + 0.1 * bv[c], bn.running_var!.data<float>()[c], 4);
        }
        Assert.Equal(1L, bn.num_batches_tracked!.item<long>());
        bn.eval();
        var ye = bn.forward(x);
        var expected = (x - bn.running_mean!.reshape(1, 3, 1, 1)) / (bn.running_var!.reshape(1, 3, 1, 1) + 1e-5).sqrt();
        Assert.True(ye.allclose(expected, 1e-4, 1e-4));
        Assert.Equal(1L, bn.num_batches_tracked!.item<long>());
    }

    [Fact]
    public void Norm_layers_pass_the_gradient_check_in_training_mode()
    {
        var x4 = GradCheck.Randn([3, 4, 2, 2], 1);
        var x2 = GradCheck.Randn([5, 3], 2);
        var w4 = GradCheck.Positive([4], 3); var b4 = GradCheck.Randn([4], 4);
        GradCheck.Check(a => F.batch_norm(a[0], null, null, a[1], a[2], training: true), x4, w4, b4);
        GradCheck.Check(a => F.batch_norm(a[0], null, null, training: true), x2);
        GradCheck.Check(a => F.layer_norm(a[0], [2, 2], a[1], a[2]), x4, GradCheck.Positive([2, 2], 5), GradCheck.Randn([2, 2], 6));
        GradCheck.Check(a => F.group_norm(a[0], 2, a[1], a[2]), x4, w4, b4);
        var bn = nn.BatchNorm1d(3);
        GradCheck.Check(a => bn.forward(a[0]), x2);
        var ln = nn.LayerNorm(3);
        GradCheck.Check(a => ln.forward(a[0]), x2);
        var gn = nn.GroupNorm(2, 4);
        GradCheck.Check(a => gn.forward(a[0]), x4);
    }

    [Fact]
    public void LayerNorm_and_GroupNorm_normalise_their_groups()
    {
        var x = randn(2, 4, 3, 3, generator: new Generator(9)) * 3 + 1;
        var ln = F.layer_norm(x, [3, 3]);
        Assert.True(ln.mean([2, 3]).abs().max().item<float>() < 1e-4);
        var gn = F.group_norm(x, 2).reshape(2, 2, -1);
        Assert.True(gn.mean([2]).abs().max().item<float>() < 1e-4);
        Assert.True((gn.var([2], unbiased: false) - 1).abs().max().item<float>() < 1e-3);
        var ex = Assert.Throws<ArgumentException>(() => F.group_norm(x, 3));
        Assert.Contains("group_norm", ex.Message);
    }
}
