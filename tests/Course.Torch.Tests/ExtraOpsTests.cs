using Course.Torch;
using static Course.Torch.torch;
using static Course.Torch.Tests.GradCheck;

namespace Course.Torch.Tests;

public class ExtraOpsTests
{
    [Fact]
    public void Sort_topk_argsort()
    {
        var x = tensor(new float[] { 3, 1, 2, 9, 7, 8 }, [2, 3]);
        var (v, i) = x.sort(1);
        Assert.Equal(new float[] { 1, 2, 3, 7, 8, 9 }, v.data<float>().ToArray());
        Assert.Equal(new long[] { 1, 2, 0, 1, 2, 0 }, i.data<long>().ToArray());
        var (tv, ti) = x.topk(2, 1);
        Assert.Equal(new float[] { 3, 2, 9, 8 }, tv.data<float>().ToArray());
        Assert.Equal(new long[] { 0, 2, 0, 2 }, ti.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 1, 1, 0, 0, 0 }, x.argsort(0, descending: true).data<long>().ToArray());
    }

    [Fact] public void Grad_sort_topk() => Check(x => x[0].sort(1).values + x[0].topk(3, 1).values.sum(1, keepdim: true), Randn([2, 4], 1));

    [Fact]
    public void Tril_triu_diag_meshgrid()
    {
        var m = ones(3, 3);
        Assert.Equal(6f, m.tril().sum().item<float>());
        Assert.Equal(3f, m.triu(1).sum().item<float>());
        Assert.Equal(new float[] { 1, 0, 0, 2 }, diag(tensor(new float[] { 1, 2 })).data<float>().ToArray());
        Assert.Equal(new float[] { 0, 4, 8 }, arange(9L).reshape(3, 3).to(float32).diag().data<float>().ToArray());
        var g = meshgrid([arange(2L), arange(3L)]);
        Assert.Equal(new long[] { 2, 3 }, g[0].shape);
        Assert.Equal(new long[] { 0, 0, 0, 1, 1, 1 }, g[0].data<long>().ToArray());
        Assert.Equal(new long[] { 0, 1, 2, 0, 1, 2 }, g[1].data<long>().ToArray());
        var gxy = meshgrid([arange(2L), arange(3L)], indexing: "xy");
        Assert.Equal(new long[] { 3, 2 }, gxy[0].shape);
        Assert.True(cdist(tensor(new float[] { 0, 0 }, [1, 2]), tensor(new float[] { 3, 4 }, [1, 2])).allclose(tensor(new float[] { 5 }, [1, 1])));
    }

    [Fact]
    public void Linalg_det_inv_slogdet()
    {
        var a = tensor(new float[,] { { 1.01f, 1.95f }, { 1.95f, 4.25f } });
        Assert.Equal(1.01 * 4.25 - 1.95 * 1.95, linalg.det(a).item<float>(), 4);
        Assert.True(a.matmul(linalg.inv(a)).allclose(eye(2), 1e-4, 1e-4));
        var (s, l) = linalg.slogdet(-a);
        Assert.Equal(1f, s.item<float>());
        Assert.True(Math.Abs(Math.Log(1.01 * 4.25 - 1.95 * 1.95) - l.item<float>()) < 1e-4);
    }

    [Fact] public void Grad_det_inv_slogdet() => Check(x => linalg.det(x[0]).unsqueeze(0) + linalg.inv(x[0]).sum() + linalg.slogdet(x[0]).logabsdet, eye(3) * 2 + Randn([3, 3], 1) * 0.3);

    [Fact]
    public void Quantile_bincount_unique()
    {
        var x = tensor(new float[] { 4, 1, 3, 2, 5 });
        Assert.Equal(3f, x.quantile(0.5).item<float>());
        Assert.Equal(1.4f, x.quantile(0.1).item<float>(), 5);
        Assert.Equal(new float[] { 2.5f, 6.5f }, tensor(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, [2, 4]).quantile(0.5, 1).data<float>().ToArray());
        Assert.Equal(new long[] { 1, 0, 2, 0, 0 }, tensor(new long[] { 0, 2, 2 }).bincount(minlength: 5).data<long>().ToArray());
        var (u, inv, cnt) = tensor(new long[] { 3, 1, 3, 3 }).unique(return_inverse: true, return_counts: true);
        Assert.Equal(new long[] { 1, 3 }, u.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 0, 1, 1 }, inv!.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 3 }, cnt!.data<long>().ToArray());
    }

    [Fact]
    public void Unique_keeps_large_int64_values_apart_and_bincount_checks_its_weights()
    {
        // 2^24 and 2^24 + 1 are the same float32: unique must compare them as longs.
        var (u, inv, cnt) = tensor(new long[] { 16_777_217, 16_777_216, 16_777_217 }).unique(return_inverse: true, return_counts: true);
        Assert.Equal(new long[] { 16_777_216, 16_777_217 }, u.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 0, 1 }, inv!.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 2 }, cnt!.data<long>().ToArray());
        Assert.Equal(new float[] { 0.5f, 0, 2.5f }, tensor(new long[] { 0, 2, 2 }).bincount(tensor(new float[] { 0.5f, 1, 1.5f })).data<float>().ToArray());
        var e = Assert.Throws<ArgumentException>(() => tensor(new long[] { 0, 2, 2 }).bincount(tensor(new float[] { 1, 2 })));
        Assert.Contains("bincount: weights", e.Message);
    }

    [Fact]
    public void Autograd_grad_returns_gradients_without_touching_grad()
    {
        var x = tensor(new float[] { 1, 2 }, requires_grad: true);
        var y = (x * x).sum();
        var g = autograd.grad([y], [x]);
        Assert.Equal(new float[] { 2, 4 }, g[0].data<float>().ToArray());
        Assert.Null(x.grad);
    }
}
