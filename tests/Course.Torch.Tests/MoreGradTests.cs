using Course.Torch;
using static Course.Torch.torch;
using static Course.Torch.Tests.GradCheck;
using F = Course.Torch.torch.nn.functional;

namespace Course.Torch.Tests;

/// <summary>Gradient checks for the remaining differentiable ops, so every one has at least one.</summary>
[Collection(ProcessWideState.Name)] // uses the default generator (nn layer init, random ops)
public class MoreGradTests
{
    static readonly long[] S = [3, 4];

    [Fact] public void Expm1_log2_log10() => Check(x => x[0].expm1() + x[1].log2() + x[1].log10(), Randn(S, 1), Positive(S, 2));
    [Fact] public void Piecewise_constant_ops_have_zero_gradient() => Check(x => x[0].floor() + x[0].ceil() + x[0].round() + x[0].sign() + x[0].trunc() + x[0], AwayFromZero(S, 1) * 3 + 0.25);
    [Fact] public void Remainder_rsub() => Check(x => (x[0] % 0.7) + x[0].rsub(2.0), Positive(S, 1, 0.05, 0.6));
    [Fact] public void Clamp_with_tensor_bounds() => Check(x => x[0].clamp(x[1], null), Randn(S, 1), Randn(S, 2) + 0.05);
    [Fact] public void Addmm_outer_dot() => Check(x => addmm(x[0], x[1], x[2], beta: 0.5, alpha: 2) + x[3].outer(x[3])[..3] + x[3].dot(x[3]), Randn([3, 4], 1), Randn([3, 2], 2), Randn([2, 4], 3), Randn([4], 4));
    [Fact] public void Tile_movedim_swapaxes_unflatten() => Check(x => x[0].tile(2).movedim(0, 1).swapaxes(0, 1).unflatten(1, 2, 4).sum(1), Randn(S, 1));
    [Fact] public void Expand_as_view_as_reshape_as() => Check(x => x[0].expand_as(x[1]) * x[1].view_as(x[1]) + x[1].reshape_as(x[1]).mT.mT, Randn([1, 4], 1), Randn(S, 2));
    [Fact] public void Masked_select_index_add_scatter_add() => Check(x =>
        x[0].masked_select(x[0].detach() > 0).sum().unsqueeze(0) + x[0].index_add(0, tensor(new long[] { 2, 0 }), x[1]).sum(1)[..1]
        + x[0].scatter_add(1, tensor(new long[] { 0, 0, 3, 1, 2, 2 }, [3, 2]), x[2]).sum(0)[..1], Randn(S, 1), Randn([2, 4], 2), Randn([3, 2], 3));
    [Fact] public void Amax_logsumexp_dims_std_mean() => Check(x => x[0].amax([0, 2]).sum() + x[0].logsumexp([1, 2]).sum() + x[0].std_mean([1]).std.sum() + x[0].var_mean([0]).mean.sum(), Randn([2, 3, 4], 1));
    [Fact] public void Norm_dim_p() => Check(x => x[0].norm(1).sum() + x[0].norm(0, p: 1).sum() + x[0].norm(1, p: 3).sum() + x[0].norm(), AwayFromZero(S, 1));
    [Fact] public void Elu_relu6_logit() => Check(x => F.elu(x[0]) + F.relu6(x[0] * 4) + special.logit(x[1]), AwayFromZero(S, 1), Positive(S, 2, 0.2, 0.8));
    [Fact] public void Max_of_two_tensors() => Check(x => x[0].max(x[1]) + x[0].min(x[1]), Randn(S, 1), Randn(S, 2) + 0.05);
    [Fact] public void Normal_with_tensor_parameters_reparameterises() => Check(x => normal(x[0], x[1].exp(), new Generator(5)), Randn(S, 1), Randn(S, 2));
    [Fact] public void Cdist_diag_tril_triu_trace() => Check(x => cdist(x[0], x[1]) + x[2].diag().unsqueeze(0) + x[2].tril().sum() + x[2].triu(1).trace(), Randn([2, 3], 1), Randn([3, 3], 2) + 5, Randn([3, 3], 3));
    [Fact] public void Hstack_vstack() => Check(x => hstack([x[0], x[1]]).sum(1) + vstack([x[0].sum(1), x[1].sum(1)]).sum(0), Randn([3, 2], 1), Randn([3, 4], 2));
    [Fact] public void Copy_into_tracked_tensor_is_differentiable() => Check(x => { var t = zeros(3, 4); t.copy_(x[0] * 2); return t * x[1]; }, Randn([4], 1), Randn(S, 2));
    [Fact] public void In_place_ops_on_non_leaf() => Check(x => { var h = x[0] * 1.0; h.add_(x[1]).mul_(3).sub_(x[1], alpha: 0.5).div_(2).clamp_(-0.25, 0.25); return h.exp(); }, tensor(new float[] { 0.05f, -0.3f, 0.3f, -0.05f, 0.3f, 0.05f, -0.05f, -0.3f, 0.02f, 0.3f, -0.3f, 0.04f }, [3, 4]), Randn(S, 2) * 0.005);
    [Fact] public void Sigmoid_tanh_relu_inplace_variants() => Check(x => { var h = x[0] + 0.0; h.tanh_(); var g = x[0] + 0.0; g.sigmoid_(); return h * g; }, Randn(S, 1));
    [Fact] public void Meshgrid_expands() => Check(x => meshgrid([x[0], x[1]])[0] * meshgrid([x[0], x[1]])[1], Randn([3], 1), Randn([4], 2));
    [Fact] public void Atan_atan2_sinh_cosh_logaddexp() => Check(x => x[0].atan() + x[0].atan2(x[1]) + x[0].sinh() + x[1].cosh() + x[0].logaddexp(x[1]), Randn(S, 1), Positive(S, 2));
    /// <summary>A gradient penalty (WGAN-GP style): differentiate through autograd.grad(create_graph: true).</summary>
    [Fact]
    public void Double_backward_through_linear_leaky_relu_tanh()
    {
        var data = Randn([5, 3], 2);
        Check(x =>
        {
            using var _ = enable_grad();
            var xi = data.detach().requires_grad_();
            var y = F.linear(F.linear(xi, x[0], x[1]).leaky_relu(0.2), x[2]).tanh().sum();
            var g = autograd.grad([y], [xi], create_graph: true)[0];
            return g.square().sum(1);
        }, Randn([4, 3], 1), Randn([4], 3), Randn([1, 4], 4));
    }

    [Fact]
    public void Autograd_grad_leaves_other_leaves_alone()
    {
        var w = randn(3, 3).requires_grad_(); var x = randn(2, 3).requires_grad_();
        var g = autograd.grad([F.linear(x, w).square().sum()], [x]);
        Assert.Null(w.grad); Assert.Null(x.grad);
        Assert.Equal(new long[] { 2, 3 }, g[0].shape);
    }

    [Fact] public void Chunk_then_cat_over_middle_dim() => Check(x => cat(x[0].chunk(3, 1).Reverse().ToList(), 1), Randn([2, 6, 2], 1));
}
