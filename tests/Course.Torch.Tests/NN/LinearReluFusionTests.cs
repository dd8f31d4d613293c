using Course.Torch;
using static Course.Torch.torch;

namespace Course.Torch.Tests;

/// <summary>Sequential runs Linear followed by ReLU fused; nothing about the results may tell.</summary>
[Collection(ProcessWideState.Name)] // nn layer init uses the default generator
public class LinearReluFusionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Fused_sequential_matches_the_layers_run_one_by_one_bitwise(bool bias)
    {
        manual_seed(5);
        var seq = nn.Sequential(nn.Linear(6, 70, hasBias: bias), nn.ReLU(), nn.Linear(70, 3), nn.ReLU(), nn.Linear(3, 2));
        var x = randn([64, 6], generator: new Generator(2)).requires_grad_();
        var y = seq.forward(x);
        Assert.Equal("linear", y.grad_fn_name);
        (y * y).sum().backward();
        var fusedGrads = seq.parameters().Select(p => p.grad!.data<float>().ToArray()).Append(x.grad!.data<float>().ToArray()).ToArray();

        seq.zero_grad();
        var x2 = x.detach().clone().requires_grad_();
        var h = x2;
        for (int i = 0; i < seq.Count; i++) h = seq[i].forward(h); // unfused: each module on its own
        Assert.Equal(y.data<float>().ToArray(), h.data<float>().ToArray());
        (h * h).sum().backward();
        var plainGrads = seq.parameters().Select(p => p.grad!.data<float>().ToArray()).Append(x2.grad!.data<float>().ToArray()).ToArray();
        Assert.Equal(plainGrads.Length, fusedGrads.Length);
        for (int i = 0; i < plainGrads.Length; i++) Assert.Equal(plainGrads[i], fusedGrads[i]);
    }

    [Fact]
    public void Fused_output_is_a_relu_node_and_passes_the_gradient_check()
    {
        manual_seed(6);
        var seq = nn.Sequential(nn.Linear(3, 4), nn.ReLU());
        var h = seq.forward(randn(5, 3).requires_grad_());
        Assert.Equal("relu", h.grad_fn_name);
        Assert.True((h >= 0).all().item<bool>());
        GradCheck.Check(a => seq.forward(a[0]), GradCheck.Randn([5, 3], 3));
    }

    [Fact]
    public void Fused_path_supports_double_backward_and_no_grad()
    {
        manual_seed(7);
        var seq = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1));
        var x = randn([4, 2], generator: new Generator(4)).requires_grad_();
        var gx = autograd.grad([seq.forward(x).sum()], [x], create_graph: true)[0];
        Assert.Equal(new long[] { 4, 2 }, gx.shape);
        Assert.True(gx.requires_grad);
        using (no_grad())
        {
            var y = seq.forward(x);
            Assert.False(y.requires_grad);
        }
    }
}
