using Course.Torch;
using static Course.Torch.torch;
using static Course.Torch.Tests.GradCheck;

namespace Course.Torch.Tests;

public class IndexingTests
{
    static Tensor A() => arange(24L).reshape(2, 3, 4).to(ScalarType.Float32);

    [Fact]
    public void Basic_indexing_makes_views_with_pytorch_semantics()
    {
        var a = A();
        Assert.Equal(new long[] { 3, 4 }, a[1].shape);
        Assert.Equal(23f, a[1, 2, 3].item<float>());
        Assert.Equal(new long[] { 2, 3 }, a[.., .., 0].shape);
        Assert.Equal(new long[] { 2, 2, 4 }, a[.., ..2].shape);
        Assert.Equal(new long[] { 2, 3, 2 }, a[TensorIndex.Ellipsis, TensorIndex.Slice(1, null, 2)].shape);
        Assert.Equal(new long[] { 2, 1, 3, 4 }, a[.., TensorIndex.None].shape);
        Assert.Equal(11f, a[0, ^1, ^1].item<float>());
        Assert.Equal(new[] { 5f, 7f }, a[0, 1, TensorIndex.Slice(1, null, 2)].data<float>().ToArray());
        // Views share storage.
        var v = a[0];
        v[0, 0] = tensor(100f);
        Assert.Equal(100f, a[0, 0, 0].item<float>());
    }

    [Fact]
    public void Advanced_indexing_with_index_tensors_and_masks()
    {
        var a = A();
        var rows = a[.., tensor(new long[] { 2, 0 })];
        Assert.Equal(new long[] { 2, 2, 4 }, rows.shape);
        Assert.Equal(8f, rows[0, 0, 0].item<float>());
        // Picking one element per row: logp[arange(B), y].
        var m = arange(12L).reshape(3, 4).to(float32);
        var picked = m[arange(3L), tensor(new long[] { 1, 3, 0 })];
        Assert.Equal(new[] { 1f, 7f, 8f }, picked.data<float>().ToArray());
        // Bool mask over all dims flattens.
        var masked = m[m > 8];
        Assert.Equal(new[] { 9f, 10f, 11f }, masked.data<float>().ToArray());
        // Row mask on the first dim.
        Assert.Equal(new long[] { 2, 4 }, m[tensor(new[] { true, false, true })].shape);
        // Non-adjacent advanced indices move to the front.
        Assert.Equal(new long[] { 2, 3 }, a[tensor(new long[] { 0, 1 }), .., tensor(new long[] { 0, 3 })].shape);
    }

    [Fact]
    public void Setters_write_through_views_masks_and_indices()
    {
        var m = zeros(3, 4);
        m[1] = ones(4);
        m[.., 0] = tensor(5f);
        m[m.eq(0)] = tensor(-1f);
        m.index_put_(tensor(7f), TensorIndex.Tensor(tensor(new long[] { 2 })), TensorIndex.Tensor(tensor(new long[] { 3 })));
        Assert.Equal(new float[] { 5, -1, -1, -1, 5, 1, 1, 1, 5, -1, -1, 7 }, m.data<float>().ToArray());
        var acc = zeros(3);
        acc.index_put_(ones(3), [TensorIndex.Tensor(tensor(new long[] { 0, 0, 2 }))], accumulate: true);
        Assert.Equal(new float[] { 2, 0, 1 }, acc.data<float>().ToArray());
    }

    [Fact] public void Grad_basic_indexing() => Check(x => x[0][1..3, TensorIndex.Slice(null, null, 2)].exp() + x[0][0, 0], Randn([4, 4], 1));
    [Fact] public void Grad_index_tensor_with_repeats_accumulates() => Check(x => x[0][tensor(new long[] { 0, 2, 0 })], Randn([3, 2], 1));
    [Fact] public void Grad_pick_per_row() => Check(x => x[0].log_softmax(1)[arange(3L), tensor(new long[] { 1, 0, 2 })], Randn([3, 4], 1));
    [Fact] public void Grad_bool_mask() => Check(x => x[0][x[0].detach() > 0].exp(), Randn([3, 4], 1));
    [Fact] public void Grad_gather_scatter() => Check(x => x[0].gather(1, tensor(new long[] { 0, 2, 1, 1 }, [2, 2])).exp() + x[1].scatter(1, tensor(new long[] { 1, 0 }, [2, 1]), x[0][.., ..1]).sum(1, keepdim: true), Randn([2, 3], 1), Randn([2, 3], 2));
    [Fact] public void Grad_index_select() => Check(x => x[0].index_select(1, tensor(new long[] { 2, 0, 2 })), Randn([2, 3], 1));

    [Fact]
    public void Grad_through_setter_on_tracked_tensor()
    {
        Check(x =>
        {
            var t = zeros(3, 4);
            t[.., 1] = x[1];        // value receives gradient
            var y = x[0] * 2;
            y[0] = tensor(0f);      // overwritten part receives no gradient
            return t + y;
        }, Randn([3, 4], 1), Randn([3], 2));
    }
}
