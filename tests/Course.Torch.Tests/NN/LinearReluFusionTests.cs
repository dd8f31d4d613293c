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
    public void Large_fused_mlp_with_masked_input_gradients_matches_the_layers_run_one_by_one_bitwise()
    {
        // B = 1024 and 128-wide layers: forward GEMMs run in parallel with bias and relu per block; the input
        // gradient of each layer after a fused relu carries that relu's mask, and the relu node passes it on.
        manual_seed(8);
        var seq = nn.Sequential(nn.Linear(3, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2));
        var x = randn([1024, 3], generator: new Generator(3)).requires_grad_();
        var y = seq.forward(x);
        (y * y).sum().backward();
        var fused = seq.parameters().Select(p => p.grad!.data<float>().ToArray()).Append(x.grad!.data<float>().ToArray()).ToArray();

        seq.zero_grad();
        var x2 = x.detach().clone().requires_grad_();
        var h = x2;
        for (int i = 0; i < seq.Count; i++) h = seq[i].forward(h);
        Assert.Equal(y.data<float>().ToArray(), h.data<float>().ToArray());
        (h * h).sum().backward();
        var plain = seq.parameters().Select(p => p.grad!.data<float>().ToArray()).Append(x2.grad!.data<float>().ToArray()).ToArray();
        for (int i = 0; i < plain.Length; i++) Assert.Equal(plain[i], fused[i]);
    }

    [Fact]
    public void Fused_relu_output_used_twice_gets_the_sum_of_both_gradients_masked_once()
    {
        // h feeds the next linear (whose input gradient arrives pre-masked) and h * h (unmasked): the accumulated
        // gradient must still go through relu's mask, exactly as in the unfused graph.
        manual_seed(11);
        var first = nn.Sequential(nn.Linear(5, 40), nn.ReLU());
        var next = nn.Linear(40, 3);
        var x = randn([32, 5], generator: new Generator(4)).requires_grad_();
        var h = first.forward(x);
        (next.forward(h).square().sum() + (h * h).sum()).backward();
        var fused = first.parameters().Select(p => p.grad!.data<float>().ToArray()).Append(x.grad!.data<float>().ToArray()).ToArray();

        first.zero_grad(); next.zero_grad();
        var x2 = x.detach().clone().requires_grad_();
        var h2 = first[1].forward(first[0].forward(x2));
        (next.forward(h2).square().sum() + (h2 * h2).sum()).backward();
        var plain = first.parameters().Select(p => p.grad!.data<float>().ToArray()).Append(x2.grad!.data<float>().ToArray()).ToArray();
        for (int i = 0; i < plain.Length; i++)
            for (int j = 0; j < plain[i].Length; j++) Assert.Equal(plain[i][j], fused[i][j], 1e-4f);
    }

    [Fact]
    public void Retained_gradient_of_a_fused_relu_output_is_the_unmasked_one()
    {
        manual_seed(9);
        var l1 = nn.Linear(4, 16); var l2 = nn.Linear(16, 3);
        var seq = nn.Sequential(l1, nn.ReLU(), l2);
        var x = randn([32, 4], generator: new Generator(5));
        // seq.forward would hide the hidden layer: run its fused pair, then the last layer, by hand.
        var hid = nn.Sequential(l1, nn.ReLU()).forward(x);
        hid.retain_grad();
        var y = l2.forward(hid);
        y.sum().backward();
        // d(sum y)/d hid = ones x W2, with no relu mask (hid is the relu's output).
        var want = ones(32, 3).mm(l2.weight!.detach());
        Assert.Equal(want.data<float>().ToArray(), hid.grad!.data<float>().ToArray());
        Assert.Contains(hid.data<float>().ToArray(), v => v == 0); // some units are off, so a mask would show
    }

    [Fact]
    public void Backward_recycles_the_gradients_the_relus_pass_on()
    {
        // 40 x 200 = 8000 floats: above BufferPool.MinLength; every other gradient here is smaller or a leaf's.
        const int B = 40, W = 200;
        manual_seed(10);
        var seq = nn.Sequential(nn.Linear(8, W), nn.ReLU(), nn.Linear(W, W), nn.ReLU(), nn.Linear(W, 1));
        var x = randn([B, 8], generator: new Generator(6));
        var loss = seq.forward(x).sum();
        long before = BufferPool.OfferedOnThisThread;
        loss.backward();
        // Both [40, 200] input gradients (made by the masked GEMMs, returned as is by the relus) are offered back
        // (the pool is process-wide and may be full, so count offers on this thread, not what it holds).
        Assert.Equal(2, BufferPool.OfferedOnThisThread - before);
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
