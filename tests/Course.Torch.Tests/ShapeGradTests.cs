using Course.Torch;
using static Course.Torch.torch;
using static Course.Torch.Tests.GradCheck;

namespace Course.Torch.Tests;

public class ShapeGradTests
{
    static Tensor W(long[] s, Tensor x) => x * Randn(s, 99);

    [Fact] public void Reshape_view_flatten() => Check(x => x[0].reshape(4, 6).view(-1, 3).flatten() * 2, Randn([2, 3, 4], 1));
    [Fact] public void Reshape_of_non_contiguous() => Check(x => x[0].t().reshape(12).exp(), Randn([3, 4], 1));
    [Fact] public void Squeeze_unsqueeze() => Check(x => x[0].unsqueeze(1).squeeze().unsqueeze(-1).squeeze(2).exp(), Randn([3, 1, 4], 1));
    [Fact] public void Permute_transpose_T() => Check(x => x[0].permute(2, 0, 1).transpose(0, 2).contiguous() * x[0].transpose(0, 1) + x[0].T.permute(2, 1, 0).transpose(0, 1), Randn([2, 3, 4], 1));
    [Fact] public void Expand_repeat() => Check(x => x[0].expand(2, 3, 4).exp() + x[0].repeat(2, 1, 5)[.., .., 1..], Randn([3, 1], 1));
    [Fact] public void Cat_stack() => Check(x => cat([x[0], x[1]], 1).exp() + stack([x[0], x[0]], 0).sum(0).repeat(1, 3)[.., ..5], Randn([3, 2], 1), Randn([3, 3], 2));
    [Fact] public void Chunk_split_narrow() => Check(x =>
    {
        var c = x[0].chunk(2, 1);
        var s = x[0].split([1L, 3L], 1);
        return c[0] * c[1] + s[1].narrow(1, 1, 2) * s[0];
    }, Randn([3, 4], 1));
    [Fact] public void Clone_detach_stops_gradient()
    {
        var x = Randn([3], 1).requires_grad_();
        var y = (x.clone() * x.detach()).sum();
        y.backward();
        Assert.True(x.grad!.allclose(x.detach()));
    }
    [Fact] public void Flip_roll() => Check(x => x[0].flip(0) * x[0].roll(1, 1), Randn([3, 4], 1));
    [Fact] public void Unbind_select() => Check(x => x[0].unbind(1)[2] * x[0].select(1, 0), Randn([3, 4], 1));
}
