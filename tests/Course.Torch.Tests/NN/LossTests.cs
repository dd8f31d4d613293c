using Course.Torch;
using static Course.Torch.torch;
using F = Course.Torch.torch.nn.functional;

namespace Course.Torch.Tests.NN;

public class LossTests
{
    static float F1(Tensor t) => t.item<float>();

    [Fact]
    public void Mse_l1_and_bce_match_hand_computed_values()
    {
        var p = tensor(new float[] { 0.2f, 0.9f, 0.5f });
        var y = tensor(new float[] { 0f, 1f, 1f });
        Assert.Equal((0.04 + 0.01 + 0.25) / 3, F1(F.mse_loss(p, y)), 6);
        Assert.Equal(0.04 + 0.01 + 0.25, F1(F.mse_loss(p, y, nn.Reduction.Sum)), 6);
        Assert.Equal((0.2 + 0.1 + 0.5) / 3, F1(F.l1_loss(p, y)), 6);
        double bce = -(Math.Log(0.8) + Math.Log(0.9) + Math.Log(0.5)) / 3;
        Assert.Equal(bce, F1(F.binary_cross_entropy(p, y)), 5);
        Assert.Equal(bce, F1(nn.BCELoss().forward(p, y)), 5);
        Assert.Equal(new long[] { 3 }, F.mse_loss(p, y, nn.Reduction.None).shape);
        var ex = Assert.Throws<ArgumentException>(() => F.mse_loss(p, ones(4)));
        Assert.Contains("mse_loss", ex.Message);
        Assert.Contains("[4]", ex.Message);
    }

    [Fact]
    public void Bce_with_logits_matches_the_formula_and_is_stable_at_large_logits()
    {
        var x = tensor(new float[] { -100f, -2f, 0f, 3f, 100f });
        var y = tensor(new float[] { 1f, 0f, 1f, 1f, 0f });
        var l = F.binary_cross_entropy_with_logits(x, y, reduction: nn.Reduction.None).data<float>().ToArray();
        double[] expected = [100, Math.Log(1 + Math.Exp(-2)), Math.Log(2), Math.Log(1 + Math.Exp(-3)), 100];
        for (int i = 0; i < 5; i++) Assert.Equal(expected[i], l[i], 4);
        Assert.All(l, v => Assert.True(float.IsFinite(v)));
        // Gradient sigmoid(x) - y, scaled by 1/n for the mean; finite at |x| = 100.
        var xg = x.clone().requires_grad_();
        F.binary_cross_entropy_with_logits(xg, y).backward();
        var g = xg.grad!.data<float>().ToArray();
        Assert.Equal(-1.0 / 5, g[0], 5);
        Assert.Equal(1.0 / 5, g[4], 5);
        Assert.Equal((1 / (1 + Math.Exp(-3)) - 1) / 5, g[3], 5);
        // Agrees with the naive formula where that is finite.
        var xs = tensor(new float[] { -1.5f, 0.3f, 2f });
        var ys = tensor(new float[] { 0.2f, 1f, 0f });
        var naive = -(ys * xs.sigmoid().log() + (1 - ys) * (1 - xs.sigmoid()).log()).mean();
        Assert.Equal(F1(naive), F1(F.binary_cross_entropy_with_logits(xs, ys)), 5);
        Assert.Equal(F1(naive), F1(nn.BCEWithLogitsLoss().call(xs, ys)), 5);
    }

    [Fact]
    public void Bce_with_logits_weights_and_pos_weights_follow_pytorch()
    {
        var x = tensor(new float[] { 0.5f, -1f, 2f, -0.3f }, [2, 2]);
        var y = tensor(new float[] { 1f, 0f, 0.3f, 1f }, [2, 2]);
        var pw = tensor(new float[] { 2f, 0.5f });
        var w = tensor(new float[] { 1f, 3f });
        var got = F.binary_cross_entropy_with_logits(x, y, w, nn.Reduction.None, pw).data<float>().ToArray();
        var xv = x.data<float>().ToArray(); var yv = y.data<float>().ToArray();
        for (int i = 0; i < 4; i++)
        {
            double sig = 1 / (1 + Math.Exp(-xv[i]));
            double expected = -(new[] { 1.0, 3.0 }[i % 2]) * (new[] { 2.0, 0.5 }[i % 2] * yv[i] * Math.Log(sig) + (1 - yv[i]) * Math.Log(1 - sig));
            Assert.Equal(expected, got[i], 4);
        }
    }

    [Fact]
    public void Cross_entropy_equals_minus_log_softmax_gathered()
    {
        var logits = randn(6, 4, generator: new Generator(7));
        var target = tensor(new long[] { 0, 3, 1, 2, 2, 0 });
        var ce = F1(F.cross_entropy(logits, target));
        var lsm = logits.log_softmax(1).data<float>();
        double manual = 0;
        for (int i = 0; i < 6; i++) manual -= lsm[i, target.data<long>()[i]];
        Assert.Equal(manual / 6, ce, 5);
        Assert.Equal(ce, F1(F.nll_loss(logits.log_softmax(1), target)), 6);
        Assert.Equal(ce, F1(nn.CrossEntropyLoss().forward(logits, target)), 6);
        Assert.Equal(ce, F1(nn.NLLLoss().forward(logits.log_softmax(1), target)), 6);
        // Probability targets (one-hot) give the same value.
        var onehot = F.one_hot(target, 4).to(float32);
        Assert.Equal(ce, F1(F.cross_entropy(logits, onehot)), 5);
    }

    [Fact]
    public void Cross_entropy_weights_ignore_index_and_label_smoothing()
    {
        var logits = randn(5, 3, generator: new Generator(8));
        var target = tensor(new long[] { 0, 2, -100, 1, 2 });
        var w = tensor(new float[] { 1f, 2f, 0.5f });
        var lsm = logits.log_softmax(1).data<float>();
        double num = 0, den = 0;
        for (int i = 0; i < 5; i++)
        {
            long t = target.data<long>()[i];
            if (t == -100) continue;
            double wi = w.data<float>()[t];
            num -= wi * lsm[i, t]; den += wi;
        }
        Assert.Equal(num / den, F1(F.cross_entropy(logits, target, w)), 5);

        var t2 = tensor(new long[] { 0, 2, 1, 1, 2 });
        double eps = 0.1, smooth = 0;
        for (int i = 0; i < 5; i++)
        {
            long t = t2.data<long>()[i];
            double row = 0;
            for (int c = 0; c < 3; c++) row += lsm[i, c];
            smooth += -(1 - eps) * lsm[i, t] - eps * row / 3;
        }
        Assert.Equal(smooth / 5, F1(F.cross_entropy(logits, t2, label_smoothing: eps)), 5);
        var ex = Assert.Throws<IndexOutOfRangeException>(() => F.cross_entropy(logits, tensor(new long[] { 0, 1, 2, 3, 0 })));
        Assert.Contains("3", ex.Message);
    }

    [Fact]
    public void Gaussian_nll_and_kl_div_match_closed_forms()
    {
        var mu = tensor(new float[] { 0.5f, -1f });
        var y = tensor(new float[] { 1f, 1f });
        var v = tensor(new float[] { 0.25f, 4f });
        double expected = (0.5 * (Math.Log(0.25) + 0.25 / 0.25) + 0.5 * (Math.Log(4) + 4.0 / 4)) / 2;
        Assert.Equal(expected, F1(F.gaussian_nll_loss(mu, y, v)), 5);
        Assert.Equal(expected + 0.5 * Math.Log(2 * Math.PI), F1(F.gaussian_nll_loss(mu, y, v, full: true)), 5);

        var p = tensor(new float[] { 0.2f, 0.8f, 0f });
        var q = tensor(new float[] { 0.5f, 0.25f, 0.25f });
        double kl = 0.2 * Math.Log(0.2 / 0.5) + 0.8 * Math.Log(0.8 / 0.25);
        Assert.Equal(kl, F1(F.kl_div(q.log(), p, nn.Reduction.Sum)), 5);
    }

    [Fact]
    public void Every_loss_passes_the_gradient_check()
    {
        var x = GradCheck.Randn([3, 4], 1);
        var t = GradCheck.Randn([3, 4], 2);
        var prob = GradCheck.Positive([3, 4], 3, 0.1, 0.9);
        var target01 = rand([3, 4], generator: new Generator(4));
        var cls = tensor(new long[] { 1, 3, 0 });
        var w = GradCheck.Positive([4], 5);
        GradCheck.Check(a => F.mse_loss(a[0], a[1]), x, t);
        GradCheck.Check(a => F.l1_loss(a[0], a[1]), GradCheck.AwayFromZero([3, 4], 6), zeros(3, 4));
        GradCheck.Check(a => F.binary_cross_entropy(a[0], a[1]), prob, target01);
        GradCheck.Check(a => F.binary_cross_entropy_with_logits(a[0], target01, reduction: nn.Reduction.None), x);
        GradCheck.Check(a => F.binary_cross_entropy_with_logits(a[0], target01, w, nn.Reduction.Sum, a[1]), x, GradCheck.Positive([4], 9));
        GradCheck.Check(a => F.binary_cross_entropy_with_logits(a[0], a[1]), x, target01);
        var pwConst = GradCheck.Positive([4], 10);
        GradCheck.Check(a => F.binary_cross_entropy_with_logits(a[0], target01, w, nn.Reduction.Mean, pwConst), x); // fused path with weights
        GradCheck.Check(a => F.cross_entropy(a[0], cls), x);
        GradCheck.Check(a => F.cross_entropy(a[0], cls, w, label_smoothing: 0), x);
        GradCheck.Check(a => F.cross_entropy(a[0], cls, label_smoothing: 0.2), x);
        GradCheck.Check(a => F.nll_loss(a[0].log_softmax(1), cls, reduction: nn.Reduction.None), x);
        GradCheck.Check(a => F.gaussian_nll_loss(a[0], t, a[1]), x, GradCheck.Positive([3, 4], 7));
        GradCheck.Check(a => F.kl_div(a[0].log_softmax(1), prob), x);
    }

    [Fact]
    public void Fused_bce_is_a_single_graph_node()
    {
        var x = randn(4, 5, generator: new Generator(1)).requires_grad_();
        var l = F.binary_cross_entropy_with_logits(x, rand(4, 5, generator: new Generator(2)));
        Assert.Equal("binary_cross_entropy_with_logits", l.grad_fn_name);
    }
}
