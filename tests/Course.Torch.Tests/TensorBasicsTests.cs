using Course.Torch;
using static Course.Torch.torch;

namespace Course.Torch.Tests;

[Collection(ProcessWideState.Name)] // uses the default generator (nn layer init, random ops)
public class TensorBasicsTests
{
    [Fact]
    public void Factories_and_metadata()
    {
        var t = zeros(2, 3);
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(2, t.ndim); Assert.Equal(2, t.dim()); Assert.Equal(6, t.numel()); Assert.Equal(3, t.size(1)); Assert.Equal(3, t.size(-1));
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal("[2x3], type = Float32, device = cpu", t.ToString());
        Assert.Equal(6, (int)ScalarType.Float32); Assert.Equal(4, (int)ScalarType.Int64); Assert.Equal(11, (int)ScalarType.Bool);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, arange(5).data<long>().ToArray());
        Assert.Equal(ScalarType.Int64, arange(5).dtype);
        Assert.Equal(new float[] { 0, 0.5f, 1 }, linspace(0, 1, 3).data<float>().ToArray());
        Assert.Equal(new float[] { 1, 1.5f }, arange(1.0, 2.0, 0.5).data<float>().ToArray());
        Assert.Equal(7f, full([2, 2], 7).sum().item<float>() / 4);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, tensor(new float[,] { { 1, 2 }, { 3, 4 } }).data<float>().ToArray());
        Assert.Equal(new long[] { 2, 2 }, tensor(new float[] { 1, 2, 3, 4 }, [2, 2]).shape);
        Assert.Equal(new long[] { 2, 3 }, from_array(new double[2, 3]).shape);
        Assert.Equal(ScalarType.Int64, randint(10, [5]).dtype);
        Assert.Equal(2f, eye(2).sum().item<float>());
        Assert.Equal(new long[] { 4, 5, 6 }, ones_like(randn(4, 5, 6)).shape);
        Assert.Throws<ArgumentException>(() => tensor(new float[] { 1, 2, 3 }, [2, 2]));
    }

    [Fact]
    public void Scalars_accessors_and_casts()
    {
        var t = tensor(new float[] { 1.5f, 2.5f, 3.5f, 4.5f }, [2, 2]);
        Assert.Equal(4.5f, t[1, 1].item<float>());
        Assert.Equal(4.5, t[1, 1].ToDouble(), 6);
        Assert.Equal(3, t[1, 0].to(int64).ToInt64());
        Assert.Equal(2.5f, (float)t[0, 1]);
        Assert.Equal(3.5f, t.data<float>()[1, 0]);
        Assert.Equal(4.5f, t.data<float>()[3]);
        Assert.Equal(new long[] { 1, 2, 3, 4 }, t.to(int64).data<long>().ToArray());
        Assert.Equal(new[] { false, true, true, true }, (t > 2).data<bool>().ToArray());
        Assert.Throws<InvalidOperationException>(() => t.item<float>());
    }

    [Fact]
    public void Broadcasting_forward_values()
    {
        var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        Assert.Equal(new float[] { 11, 22, 33, 14, 25, 36 }, (a + tensor(new float[] { 10, 20, 30 })).data<float>().ToArray());
        Assert.Equal(new float[] { 1, 2, 3, 8, 10, 12 }, (a * tensor(new float[] { 1, 2 }, [2, 1])).data<float>().ToArray());
        Assert.Equal(new float[] { 9, 8, 7, 6, 5, 4 }, (10 - a).data<float>().ToArray());
        Assert.Equal(new float[] { 6, 3, 2, 1.5f, 1.2f, 1 }, (6.0 / a).data<float>().ToArray());
        var outer = tensor(new float[] { 1, 2 }, [2, 1]) + tensor(new float[] { 10, 20, 30 }, [1, 3]);
        Assert.Equal(new float[] { 11, 21, 31, 12, 22, 32 }, outer.data<float>().ToArray());
        var col = tensor(new float[] { 1, 2 }, [2, 1]); var row = tensor(new float[] { 10, 20, 30 });
        Assert.Equal(new float[] { -9, -19, -29, -8, -18, -28 }, (col - row).data<float>().ToArray());
        Assert.Equal(new float[] { 9, 19, 29, 8, 18, 28 }, (row - col).data<float>().ToArray());
        Assert.Equal(new float[] { 10, 20, 30, 5, 10, 15 }, (row / col).data<float>().ToArray());
        var strided = a.t() * a.t();
        Assert.Equal(new float[] { 1, 16, 4, 25, 9, 36 }, strided.data<float>().ToArray());
        // Integer arithmetic stays Int64; division promotes.
        Assert.Equal(ScalarType.Int64, (arange(3) + 1).dtype);
        Assert.Equal(ScalarType.Float32, (arange(3) / 2).dtype);
        Assert.Equal(ScalarType.Float32, (arange(3) * 0.5).dtype);
        Assert.Equal(ScalarType.Float32, (arange(3) + ones(3)).dtype);
    }

    [Fact]
    public void Large_elementwise_parallel_path_matches_serial()
    {
        var x = randn([300_000], generator: new Generator(3));
        var y = (x * 2 + 1).exp();
        var xs = x.data<float>().ToArray(); var ys = y.data<float>().ToArray();
        for (int i = 0; i < xs.Length; i += 997) Assert.Equal(1.0, ys[i] / MathF.Exp(xs[i] * 2 + 1), 5);
    }

    [Fact]
    public void Shape_mismatch_names_op_and_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => ones(2, 3) * ones(4));
        Assert.Equal("mul: shapes [2, 3] and [4] cannot broadcast.", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => ones(2, 3).mm(ones(2, 3)));
        Assert.Contains("mm", e2.Message); Assert.Contains("[2, 3]", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => ones(2, 3).reshape(4, 2));
        Assert.Contains("reshape", e3.Message); Assert.Contains("6", e3.Message);
        var e4 = Assert.Throws<ArgumentException>(() => cat([ones(2, 3), ones(3, 2)], 0));
        Assert.Contains("cat", e4.Message);
    }

    [Fact]
    public void Bad_dim_names_dim_and_rank()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ones(2, 3).sum(2));
        Assert.Contains("sum: dim 2", e.Message); Assert.Contains("rank 2", e.Message);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => ones(2, 3).softmax(-3));
        Assert.Contains("dim -3", e2.Message);
    }

    [Fact]
    public void Dtype_errors_say_so()
    {
        var e = Assert.Throws<ArgumentException>(() => ones(3)[ones(2)]);
        Assert.Contains("Int64 or Bool", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => ones(2, 2).mm(ones(2, 2, dtype: int64)));
        Assert.Contains("Float32", e2.Message);
    }

    [Fact]
    public void Printing_shows_values_only_on_request()
    {
        var t = tensor(new float[] { 1, 2.5f, -3, 4 }, [2, 2]);
        var s = t.str();
        Assert.StartsWith("[2x2], type = Float32, device = cpu", s);
        Assert.Contains("2.5000", s); Assert.Contains("-3.0000", s);
        Assert.DoesNotContain("2.5", t.ToString());
        Assert.Contains("[[", t.ToString(TensorStringStyle.Numpy));
        var big = arange(10000L).reshape(100, 100).ToString(TensorStringStyle.Numpy);
        Assert.Contains("...", big);
        Assert.True(big.Length < 2000);
        Assert.Equal("true", tensor(true).ToString(TensorStringStyle.Numpy));
    }

    [Fact]
    public void Comparisons_and_logic()
    {
        var a = tensor(new float[] { 1, 2, 3 });
        var b = tensor(new float[] { 3, 2, 1 });
        Assert.Equal(new[] { false, false, true }, (a > b).data<bool>().ToArray());
        Assert.Equal(new[] { true, true, false }, (a <= b).data<bool>().ToArray());
        Assert.Equal(new[] { false, true, false }, a.eq(b).data<bool>().ToArray());
        Assert.Equal(new[] { true, false, true }, a.ne(b).data<bool>().ToArray());
        Assert.Equal(new[] { false, false, true }, ((a > 1) & (a > b)).data<bool>().ToArray());
        Assert.Equal(new[] { true, false, true }, ((a < 2) | (a > 2)).data<bool>().ToArray());
        Assert.True((a > 0).all().item<bool>()); Assert.True((a > 2).any().item<bool>()); Assert.False((a > 5).any().item<bool>());
        var bad = tensor(new float[] { 1, float.NaN, float.PositiveInfinity });
        Assert.Equal(new[] { true, false, false }, isfinite(bad).data<bool>().ToArray());
        Assert.Equal(new[] { false, true, false }, isnan(bad).data<bool>().ToArray());
        Assert.Equal(new[] { false, false, true }, isinf(bad).data<bool>().ToArray());
        Assert.True(allclose(a, a + 1e-7));
        Assert.False(allclose(a, b));
        Assert.Equal(2L, (a > 1).sum().item<long>());
    }

    [Fact]
    public void Dispose_scopes_are_harmless_no_ops()
    {
        using var scope = NewDisposeScope();
        var t = ones(2).MoveToOuterDisposeScope().DetachFromDisposeScope();
        t.Dispose();
        Assert.Equal(2f, t.sum().item<float>());
    }
}
