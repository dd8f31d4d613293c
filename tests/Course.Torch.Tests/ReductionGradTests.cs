using Course.Torch;
using static Course.Torch.torch;
using static Course.Torch.Tests.GradCheck;

namespace Course.Torch.Tests;

public class ReductionGradTests
{
    [Fact] public void Sum_all_dim_dims() => Check(x => x[0].sum() + x[0].sum(1).sum() + x[0].sum([0, 2], keepdim: true).sum(), Randn([2, 3, 4], 1));
    [Fact] public void Sum_keepdim_shapes() => Check(x => x[0].sum(0, keepdim: true) * x[0], Randn([3, 4], 1));
    [Fact] public void Mean_all_dims() => Check(x => x[0].mean() + x[0].mean([1]) .sum() + x[0].mean([0, 1], keepdim: true).sum(), Randn([3, 4], 1));
    [Fact] public void Var_std() => Check(x => x[0].var() + x[0].std(1).sum() + x[0].var([0], unbiased: false).sum(), Randn([3, 4], 1));
    [Fact] public void Max_min_all() => Check(x => x[0].max() + x[0].min(), Randn([3, 4], 1));
    [Fact] public void Max_min_dim() => Check(x => x[0].max(1).values + x[0].min(0, keepdim: true).values.sum(), Randn([3, 4], 1));
    [Fact] public void Logsumexp() => Check(x => x[0].logsumexp(1) + x[0].logsumexp(0).sum(), Randn([3, 4], 1));
    [Fact] public void Softmax_dims() => Check(x => x[0].softmax(1) + x[0].softmax(0), Randn([3, 4], 1));
    [Fact] public void Log_softmax_dims() => Check(x => x[0].log_softmax(-1) + x[0].log_softmax(0), Randn([3, 4], 1));
    [Fact] public void Softmax_middle_dim_non_contiguous() => Check(x => x[0].permute(2, 0, 1).softmax(1), Randn([2, 3, 4], 1));
    [Fact] public void Cumsum_cumprod() => Check(x => x[0].cumsum(1) + x[0].cumprod(0), Positive([3, 4], 1));
    [Fact] public void Prod_norm() => Check(x => x[0].prod() + x[0].norm(), Positive([2, 3], 1));
    [Fact] public void Sum_of_broadcast_bias_backward() => Check(x => (x[0] + x[1]).square(), Randn([5, 4], 1), Randn([4], 2));
}
