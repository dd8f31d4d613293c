using Course.Torch;
using static Course.Torch.torch;
using static Course.Torch.Tests.GradCheck;

namespace Course.Torch.Tests;

public class ElementwiseGradTests
{
    static readonly long[] S = [3, 4];

    [Fact] public void Add_broadcast_both_orders() => Check(x => x[0] + x[1] + 2.0 + (3.0 + x[0]), Randn(S, 1), Randn([4], 2));
    [Fact] public void Sub_broadcast_column() => Check(x => x[0] - x[1] - 1.5 - (2.0 - x[1]), Randn(S, 1), Randn([3, 1], 2));
    [Fact] public void Mul_broadcast_outer() => Check(x => x[0] * x[1] * 3.0 * (0.5 * x[0]), Randn([3, 1], 1), Randn([1, 4], 2));
    [Fact] public void Div_tensor_and_scalar() => Check(x => x[0] / x[1] + 2.0 / x[1] + x[0] / 4.0, Randn(S, 1), Positive(S, 2));
    [Fact] public void Pow_tensor_exponent() => Check(x => x[0].pow(x[1]), Positive(S, 1), Randn(S, 2));
    [Fact] public void Pow_scalar_exponent() => Check(x => x[0].pow(3) + x[0].pow(2) + x[1].pow(0.5), Randn(S, 1), Positive(S, 2));
    [Fact] public void Scalar_pow_tensor() => Check(x => pow(2.0, x[0]), Randn(S, 1));
    [Fact] public void Neg() => Check(x => -x[0], Randn(S, 1));
    [Fact] public void Exp() => Check(x => x[0].exp(), Randn(S, 1));
    [Fact] public void Log() => Check(x => x[0].log(), Positive(S, 1));
    [Fact] public void Log1p() => Check(x => x[0].log1p(), Positive(S, 1));
    [Fact] public void Sqrt() => Check(x => x[0].sqrt(), Positive(S, 1));
    [Fact] public void Rsqrt_reciprocal() => Check(x => x[0].rsqrt() + x[0].reciprocal(), Positive(S, 1));
    [Fact] public void Abs() => Check(x => x[0].abs(), AwayFromZero(S, 1));
    [Fact] public void Sin_cos() => Check(x => x[0].sin() * x[0].cos(), Randn(S, 1));
    [Fact] public void Tanh() => Check(x => x[0].tanh(), Randn(S, 1));
    [Fact] public void Sigmoid() => Check(x => x[0].sigmoid(), Randn(S, 1));
    [Fact] public void Relu() => Check(x => x[0].relu(), AwayFromZero(S, 1));
    [Fact] public void Leaky_relu() => Check(x => x[0].leaky_relu(0.2), AwayFromZero(S, 1));
    [Fact] public void Silu() => Check(x => x[0].silu(), Randn(S, 1));
    [Fact] public void Gelu_exact_and_tanh() => Check(x => x[0].gelu() + x[0].gelu("tanh"), Randn(S, 1));
    [Fact] public void Softplus() => Check(x => x[0].softplus() + x[0].softplus(beta: 2), Randn(S, 1));
    [Fact] public void Logsigmoid() => Check(x => x[0].logsigmoid(), Randn(S, 1));
    [Fact] public void Clamp() => Check(x => x[0].clamp(-0.5, 0.5), AwayFromZero(S, 1, 0.05) * 0.9 + 0.03);
    [Fact] public void Square_erf() => Check(x => x[0].square() + x[0].erf(), Randn(S, 1));
    [Fact] public void Maximum_minimum() => Check(x => x[0].maximum(x[1]) + x[0].minimum(x[1]), Randn(S, 1), Randn(S, 2) + 0.05);
    [Fact] public void Where_broadcast() => Check(x => where(x[0] > 0, x[0], x[1]), Randn(S, 1), Randn([4], 2));
    [Fact] public void Masked_fill() => Check(x => x[0].masked_fill(x[0] < 0, 0.0) * x[0], AwayFromZero(S, 1));

    [Fact] public void Non_contiguous_inputs_transposed_sliced_expanded()
    {
        Check(x => x[0].t().exp() * x[1][.., 1..5], Randn([4, 3], 1), Randn([3, 6], 2));
        Check(x => x[0].expand(3, 4).sigmoid() + x[1].T.tanh(), Randn([1, 4], 1), Randn([4, 3], 2));
        Check(x => x[0][TensorIndex.Slice(null, null, 2)].log(), Positive([6, 2], 1));
    }

    [Fact] public void Same_input_used_twice_accumulates() => Check(x => x[0] * x[0] + x[0], Randn(S, 1));
}
