using Course.Torch;
using Course.Torch.Modules;
using static Course.Torch.torch;
using static Course.Torch.Tests.GradCheck;
using F = Course.Torch.torch.nn.functional;

namespace Course.Torch.Tests;

/// <summary>Fixes from the engine review: zero-safe gradients, TorchSharp idioms, strict view, error messages, ties.</summary>
[Collection(ProcessWideState.Name)] // dropout and layer init use the default generator
public class ReviewFixesTests
{
    static float[] Grad(Func<Tensor, Tensor> f, float[] x)
    {
        var t = tensor(x).requires_grad_();
        f(t).backward();
        return t.grad!.data<float>().ToArray();
    }

    // ---- 1. gradients at zero -----------------------------------------------------------------------------

    [Fact]
    public void Cumprod_gradient_with_a_zero_matches_pytorch()
        => Assert.Equal(new float[] { 1, 32, 0, 0 }, Grad(x => x.cumprod(0).sum(), [2, 0, 3, 4]));

    [Fact]
    public void Cumprod_gradient_with_two_zeros_is_finite()
        => Assert.Equal(new float[] { 1, 2, 0, 0 }, Grad(x => x.cumprod(0).sum(), [2, 0, 0, 4]));

    [Fact]
    public void Prod_gradient_with_a_zero_matches_pytorch()
        => Assert.Equal(new float[] { 0, 6, 0 }, Grad(x => x.prod(), [2, 0, 3]));

    [Fact]
    public void Prod_gradient_with_two_zeros_is_zero()
        => Assert.Equal(new float[] { 0, 0, 0 }, Grad(x => x.prod(), [0, 5, 0]));

    [Fact]
    public void Norm_gradient_at_zero_is_zero_not_nan()
    {
        Assert.Equal(new float[] { 0, 0, 0 }, Grad(x => x.norm(), [0, 0, 0]));
        var t = zeros(2, 3).requires_grad_();
        t.norm(1).sum().backward();
        Assert.All(t.grad!.data<float>().ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(new float[] { 0.6f, 0.8f }, Grad(x => x.norm(), [3, 4]));
    }

    [Fact]
    public void Cumprod_prod_norm_gradchecks_with_zeros()
    {
        var z = tensor(new float[] { 0.5f, 0, -1.5f, 2, 0.7f, 0, 1.2f, -0.8f, 1.1f, 0.9f, 0, 1.3f }, [3, 4]);
        Check(x => x[0].cumprod(1) + x[0].cumprod(0), z);
        Check(x => x[0][0].prod().unsqueeze(0) + x[0][1].prod().unsqueeze(0) + x[0][2, ..2].prod().unsqueeze(0), z);
        Check(x => x[0].norm(1) + x[0].norm(), z);
    }

    [Fact]
    public void Norm_supports_double_backward()
    {
        // d/dx of sum(d||x||/dx * v) = (v - xhat (xhat.v)) / ||x||.
        var x = tensor(new float[] { 3, 4 }).requires_grad_();
        var g = autograd.grad([x.norm()], [x], create_graph: true)[0];
        var h = autograd.grad([(g * tensor(new float[] { 1, 0 })).sum()], [x])[0].data<float>().ToArray();
        Assert.Equal(0.128f, h[0], 4); Assert.Equal(-0.096f, h[1], 4);
    }

    // ---- 2. TorchSharp idioms -----------------------------------------------------------------------------

    [Fact]
    public void Module_to_device_keeps_the_module_type()
    {
        var device = cuda.is_available() ? CUDA : CPU;
        var m = nn.Linear(2, 2).to(device);
        Linear typed = m; // compiles only if to() kept the type
        Assert.Equal(new long[] { 1, 2 }, m.forward(ones(1, 2)).shape);
        Assert.Same(typed, m.to(DeviceType.CPU).cpu().to(ScalarType.Float32).to("cpu"));
        var seq = nn.Sequential(("l", nn.Linear(2, 2))).to(CPU);
        Assert.Equal(new long[] { 3, 2 }, seq.forward(ones(3, 2)).shape);
    }

    [Fact]
    public void Cuda_requests_throw_a_cpu_only_error()
    {
        Assert.False(cuda.is_available());
        Assert.Equal(DeviceType.CUDA, CUDA.type);
        var e1 = Assert.Throws<NotSupportedException>(() => nn.Linear(2, 2).to(CUDA));
        Assert.Contains("CPU-only", e1.Message); Assert.Contains("Linear.to", e1.Message);
        var e2 = Assert.Throws<NotSupportedException>(() => ones(2).to(CUDA));
        Assert.Contains("CPU-only", e2.Message);
        Assert.Throws<NotSupportedException>(() => ones(2).to(DeviceType.CUDA));
        Assert.Throws<NotSupportedException>(() => nn.Linear(2, 2).to(DeviceType.CUDA));
    }

    [Fact]
    public void Tensor_device_moves_are_no_ops_on_cpu()
    {
        var t = ones(2);
        Assert.Same(t, t.to(CPU)); Assert.Same(t, t.to(DeviceType.CPU)); Assert.Same(t, t.cpu());
    }

    [Fact]
    public void Where_with_two_scalars()
    {
        var r = where(tensor(new float[] { 1, -2, 3 }) > 0, 1.0, -1.0);
        Assert.Equal(new float[] { 1, -1, 1 }, r.data<float>().ToArray());
    }

    // ---- 3. strict view -----------------------------------------------------------------------------------

    [Fact]
    public void View_of_a_transposed_tensor_throws_and_names_strides()
    {
        var t = arange(6).reshape(2, 3).t();
        var e = Assert.Throws<InvalidOperationException>(() => t.view(6));
        Assert.Contains("view", e.Message); Assert.Contains("[1, 3]", e.Message); Assert.Contains("[6]", e.Message);
        Assert.Contains("reshape()", e.Message);
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, t.reshape(6).data<long>().ToArray());
    }

    [Fact]
    public void View_allowed_by_strides_shares_storage()
    {
        // A column slice keeps each row contiguous: splitting the last dim is a valid view.
        var b = arange(24).reshape(4, 6).to(float32);
        var s = b[.., 2..6];                      // [4, 4], strides [6, 1]
        var v = s.view(4, 2, 2);
        Assert.Equal(new float[] { 2, 3, 4, 5, 8, 9 }, v.reshape(-1).data<float>().ToArray()[..6]);
        v[0, 0, 0] = tensor(100f);
        Assert.Equal(100f, b[0, 2].item<float>());
        // Merging dims 0 and 1 of a transposed [3, 2, 4]: not contiguous together, so view throws.
        var p = arange(24).reshape(2, 3, 4).permute(1, 0, 2);
        Assert.Throws<InvalidOperationException>(() => p.view(6, 4));
        Assert.Equal(new long[] { 3, 2, 2, 2 }, p.view(3, 2, 2, 2).shape);
        // Gradient flows through a strided view.
        Check(x => x[0].t().view(2, 2, 3).sum(1), Randn([3, 4], 1));
    }

    // ---- 4. error messages --------------------------------------------------------------------------------

    [Fact]
    public void Matmul_error_names_matmul_and_original_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => ones(2, 3).matmul(ones(4)));
        Assert.Contains("matmul", e.Message); Assert.Contains("[2, 3]", e.Message); Assert.Contains("[4]", e.Message);
        Assert.DoesNotContain("[4, 1]", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => ones(5, 2, 3).matmul(ones(2, 3)));
        Assert.Contains("matmul", e2.Message); Assert.Contains("[5, 2, 3]", e2.Message);
    }

    [Fact]
    public void Cross_entropy_with_float_class_indices_says_int64()
    {
        var e = Assert.Throws<ArgumentException>(() => F.cross_entropy(ones(4, 3), tensor(new float[] { 0, 1, 2, 1 })));
        Assert.Contains("cross_entropy", e.Message); Assert.Contains("Int64", e.Message); Assert.Contains("class-index", e.Message);
    }

    [Fact]
    public void Embedding_out_of_range_names_index_and_size()
    {
        var emb = nn.Embedding(5, 3);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => emb.forward(tensor(new long[] { 1, 7 })));
        Assert.Contains("embedding", e.Message); Assert.Contains("7", e.Message); Assert.Contains("5 embeddings", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => emb.forward(tensor(new long[] { -1 })));
    }

    [Fact]
    public void Item_and_data_with_the_wrong_type_throw_like_torchsharp()
    {
        var e = Assert.Throws<InvalidOperationException>(() => tensor(1.5f).item<long>());
        Assert.Contains("item<Int64>: the tensor's dtype is Float32", e.Message);
        Assert.Throws<InvalidOperationException>(() => tensor(3L).item<float>());
        Assert.Throws<InvalidOperationException>(() => tensor(true).item<long>());
        var d = Assert.Throws<InvalidOperationException>(() => ones(3).data<long>());
        Assert.Contains("data<Int64>", d.Message);
        // The converting accessors still convert, as TorchSharp's ToInt64()/casts do.
        Assert.Equal(1L, tensor(1.5f).ToInt64());  // truncates, as (long)1.5f and PyTorch's int()
        Assert.Equal(-2, (int)tensor(-2.7f));
        Assert.Equal(3.0, (double)tensor(3L));
        Assert.Equal(1.5, tensor(1.5f).item<double>());
    }

    // ---- 5. gradient checks for ops that had none ----------------------------------------------------------

    [Fact]
    public void Dropout_gradient_is_the_scaled_mask()
    {
        Check(x => { manual_seed(7); return F.dropout(x[0], 0.5); }, Randn([4, 5], 1));
        manual_seed(7);
        var x = randn(4, 5).requires_grad_();
        manual_seed(11);
        var y = F.dropout(x, 0.5);
        y.sum().backward();
        var g = x.grad!.data<float>().ToArray(); var yv = y.data<float>().ToArray(); var xv = x.data<float>().ToArray();
        for (int i = 0; i < g.Length; i++)
        {
            Assert.True(g[i] == 0 || g[i] == 2, $"element {i}: gradient {g[i]} is neither 0 nor 1/(1-p)");
            Assert.Equal(yv[i], xv[i] * g[i], 5);
        }
        Assert.Contains(0f, g); Assert.Contains(2f, g);
    }

    [Fact]
    public void Embedding_layer_gradcheck()
    {
        manual_seed(3);
        var emb = nn.Embedding(5, 3);
        var idx = tensor(new long[] { 4, 0, 4, 2 }, [2, 2]);
        CheckLeaves(() => emb.forward(idx), emb.weight);
        var g = emb.weight.grad!.data<float>().ToArray();
        Assert.All(g[3..6], v => Assert.Equal(0f, v)); // row 1 never used
        Assert.All(g[9..12], v => Assert.Equal(0f, v)); // row 3 never used
    }

    [Fact]
    public void Normal_log_prob_and_entropy_gradcheck()
    {
        var v = Randn([3, 4], 3);
        Check(x => distributions.Normal(x[0], x[1].exp()).log_prob(v), Randn([3, 4], 1), Randn([3, 4], 2) * 0.3);
        // The entropy does not depend on loc: check it w.r.t. the scale only.
        Check(x => distributions.Normal(zeros(3, 4), x[0].exp()).entropy(), Randn([3, 4], 2) * 0.3);
    }

    [Fact]
    public void Bernoulli_logits_log_prob_and_entropy_gradcheck()
    {
        var v = tensor(new float[] { 1, 0, 1, 1, 0, 0 }, [2, 3]);
        Check(x => distributions.Bernoulli(logits: x[0]).log_prob(v), Randn([2, 3], 1));
        Check(x => distributions.Bernoulli(logits: x[0]).entropy(), Randn([2, 3], 2));
        Check(x => distributions.Bernoulli(probs: x[0]).entropy(), Positive([2, 3], 3, 0.2, 0.8));
    }

    [Fact]
    public void Categorical_log_prob_and_entropy_gradcheck()
    {
        var v = tensor(new long[] { 2, 0, 3 });
        Check(x => distributions.Categorical(logits: x[0]).log_prob(v), Randn([3, 4], 1));
        Check(x => distributions.Categorical(logits: x[0]).entropy(), Randn([3, 4], 2));
        Check(x => distributions.Categorical(probs: x[0]).entropy(), Positive([3, 4], 3));
    }

    [Fact]
    public void Smooth_l1_loss_values_and_gradcheck()
    {
        var input = tensor(new float[] { 0, 0.5f, 3, -2 });
        var target = tensor(new float[] { 0.2f, 0, 0, 0 });
        // |d| < 1: 0.5 d^2; else |d| - 0.5: 0.02, 0.125, 2.5, 1.5
        var none = F.smooth_l1_loss(input, target, nn.Reduction.None).data<float>().ToArray();
        Assert.Equal(new[] { 0.02f, 0.125f, 2.5f, 1.5f }, none.Select(v => MathF.Round(v, 5)).ToArray());
        Assert.Equal(1.036250f, F.smooth_l1_loss(input, target).item<float>(), 5);
        Assert.Equal(0.16f, F.smooth_l1_loss(tensor(0.8f), tensor(0f), beta: 2).item<float>(), 5); // 0.5 * 0.64 / 2
        Check(x => F.smooth_l1_loss(x[0], x[1], nn.Reduction.None), Randn([3, 4], 1) * 2, Randn([3, 4], 2));
        Check(x => F.smooth_l1_loss(x[0], x[1], beta: 0.5).unsqueeze(0), Randn([3, 4], 3) * 2, Randn([3, 4], 4));
    }

    [Fact]
    public void Diagonal_broadcast_to_clamp_min_max_clip_gradcheck()
    {
        Check(x => x[0].diagonal(), Randn([4, 4], 1));
        Check(x => x[0].broadcast_to(3, 2, 4), Randn([2, 1], 2).expand(2, 4).contiguous());
        Check(x => x[0].broadcast_to(3, 4), Randn([1, 4], 3));
        Check(x => x[0].clamp_min(0.1) + x[0].clamp_max(-0.1) + x[0].clip(-0.5, 0.5), AwayFromZero([3, 4], 4) * 0.9 + 0.03);
    }

    [Fact]
    public void Upsample_module_gradcheck()
    {
        var near = nn.Upsample(scale_factor: [2, 2]);
        Check(x => near.forward(x[0]), Randn([1, 2, 3, 3], 1));
        var sized = nn.Upsample(size: [6, 8]);
        Check(x => sized.forward(x[0]), Randn([1, 2, 3, 4], 2));
    }

    [Fact]
    public void Conv2d_on_non_contiguous_inputs_gradcheck()
    {
        var w = Randn([3, 2, 3, 3], 2) * 0.3;
        Check(x => F.conv2d(x[0].transpose(2, 3), x[1], padding: [1, 1]), Randn([1, 2, 5, 4], 1), w);
        Check(x => F.conv2d(x[0][.., .., 1.., ..5], x[1]), Randn([2, 2, 6, 6], 3), w);
        Check(x => F.conv2d(x[0].permute(0, 3, 1, 2), x[1]), Randn([1, 5, 5, 2], 4), w);
    }

    [Fact]
    public void In_place_optimizer_helpers_values()
    {
        using var _ = no_grad();
        var a = tensor(new float[] { 1, 2, 3 });
        a.lerp_(tensor(new float[] { 3, 2, 1 }), 0.25);
        Assert.Equal(new float[] { 1.5f, 2, 2.5f }, a.data<float>().ToArray());
        a.addcmul_(tensor(new float[] { 1, 2, 3 }), tensor(new float[] { 2, 2, 2 }), value: 0.5);
        Assert.Equal(new float[] { 2.5f, 4, 5.5f }, a.data<float>().ToArray());
        a.addcdiv_(tensor(new float[] { 1, 1, 3 }), tensor(new float[] { 2, 4, 2 }), value: 2);
        Assert.Equal(new float[] { 3.5f, 4.5f, 8.5f }, a.data<float>().ToArray());
    }

    // ---- 6. ties in full reductions ------------------------------------------------------------------------

    [Fact]
    public void Full_max_and_min_split_the_gradient_among_ties()
    {
        Assert.Equal(new float[] { 0, 0.5f, 0, 0.5f }, Grad(x => x.max(), [1, 3, 2, 3]));
        Assert.Equal(new float[] { 1 / 3f, 1 / 3f, 0, 1 / 3f }, Grad(x => x.min(), [-1, -1, 2, -1]));
        Assert.Equal(new float[] { 0, 0, 1, 0 }, Grad(x => x.max(), [1, 2, 5, 3]));
    }
}
