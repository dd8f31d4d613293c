using Course.Torch;
using static Course.Torch.torch;

namespace Course.Torch.Tests;

[Collection(ProcessWideState.Name)] // uses the default generator (nn layer init, random ops)
public class RandomTests
{
    [Fact]
    public void Same_seed_gives_same_numbers()
    {
        manual_seed(42);
        var a = randn(100); var b = rand(10); var c = randint(5, [20]); var p = randperm(10);
        manual_seed(42);
        Assert.True(randn(100).equal(a)); Assert.True(rand(10).equal(b)); Assert.True(randint(5, [20]).equal(c)); Assert.True(randperm(10).equal(p));
        Assert.False(randn(100).equal(a));
        var g1 = new Generator(7); var g2 = new Generator(7);
        Assert.True(randn([5], generator: g1).equal(randn([5], generator: g2)));
        Assert.Equal(typeof(Generator), manual_seed(1).GetType());
    }

    [Fact]
    public void Distributions_have_the_right_moments()
    {
        var g = new Generator(3);
        var n = randn([100_000], generator: g);
        Assert.Equal(0, n.mean().item<float>(), 1);
        Assert.Equal(1, n.std().item<float>(), 1);
        var u = rand([100_000], generator: g);
        Assert.Equal(0.5, u.mean().item<float>(), 2);
        Assert.True(u.min().item<float>() >= 0 && u.max().item<float>() < 1);
        var b = bernoulli(full([100_000], 0.3), g);
        Assert.Equal(0.3, b.mean().item<float>(), 2);
        var ri = randint(3, 6, [1000], generator: g);
        Assert.Equal(3L, ri.min().item<long>()); Assert.Equal(5L, ri.max().item<long>());
        var t = empty(50_000).normal_(2, 3, g);
        Assert.Equal(2, t.mean().item<float>(), 1);
        Assert.Equal(3, t.std().item<float>(), 1);
        var v = zeros(1000).uniform_(-1, 1, g);
        Assert.True(v.min().item<float>() >= -1 && v.max().item<float>() < 1);
    }

    [Fact]
    public void Multinomial_with_and_without_replacement()
    {
        var g = new Generator(5);
        var w = tensor(new float[] { 0, 1, 3 });
        var s = multinomial(w, 4000, replacement: true, generator: g);
        var counts = F1(s);
        Assert.Equal(0, counts[0]);
        Assert.Equal(0.75, counts[2] / 4000.0, 1);
        var perm = multinomial(ones(2, 5), 5, replacement: false, generator: g);
        Assert.Equal(new long[] { 2, 5 }, perm.shape);
        Assert.Equal(10L, perm[0].sort_values_sum());
        Assert.Throws<ArgumentException>(() => multinomial(w, 3, replacement: false, generator: g));
    }

    static int[] F1(Tensor s) { var c = new int[3]; foreach (var v in s.data<long>()) c[v]++; return c; }

    [Fact]
    public void Dropout_scales_kept_units_and_routes_gradient()
    {
        manual_seed(0);
        var x = ones(1000, requires_grad: true);
        var y = nn.functional.dropout(x, 0.25);
        var kept = (y > 0).to(float32);
        Assert.Equal(0.75, kept.mean().item<float>(), 1);
        Assert.True(y[y > 0].allclose(full([kept.sum().item<float>() > 0 ? (long)kept.sum().item<float>() : 0], 1 / 0.75f)));
        y.sum().backward();
        Assert.True(x.grad!.allclose(kept / 0.75));
        Assert.True(nn.functional.dropout(x, 0.5, training: false).equal(x));
    }
}

internal static class TestExtensions
{
    public static long sort_values_sum(this Tensor t) => t.sum().item<long>();
}
