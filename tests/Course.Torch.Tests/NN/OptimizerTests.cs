using Course.Torch;
using static Course.Torch.torch;

namespace Course.Torch.Tests.NN;

[Collection(ProcessWideState.Name)] // uses the default generator (nn layer init, random ops)
public class OptimizerTests
{
    static readonly float[] P0 = [1.0f, -2.0f, 0.5f];
    static readonly float[][] Grads = [[0.1f, -0.3f, 2.0f], [0.4f, 0.2f, -1.0f], [-0.2f, 0.5f, 0.3f]];

    /// <summary>Runs optimizer steps with the given gradients and returns the parameter after each step.</summary>
    static List<float[]> Run(Func<Tensor, optim.Optimizer> make)
    {
        var p = tensor((float[])P0.Clone()).requires_grad_();
        var opt = make(p);
        var trace = new List<float[]>();
        foreach (var g in Grads)
        {
            opt.zero_grad();
            p.grad = tensor((float[])g.Clone());
            opt.step();
            trace.Add(p.data<float>().ToArray());
        }
        return trace;
    }

    static void AssertClose(double[] expected, float[] actual, double tol = 1e-5)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"element {i}: expected {expected[i]:G7}, got {actual[i]:G7}");
    }

    [Theory]
    [InlineData(0.0, 0.0, 0.0, false)]
    [InlineData(0.9, 0.0, 0.0, false)]
    [InlineData(0.9, 0.0, 0.0, true)]
    [InlineData(0.9, 0.1, 0.01, false)]
    [InlineData(0.5, 0.0, 0.05, true)]
    public void Sgd_matches_hand_computed_updates(double momentum, double dampening, double wd, bool nesterov)
    {
        const double lr = 0.1;
        var trace = Run(p => optim.SGD([p], lr, momentum, dampening, wd, nesterov));
        var p = P0.Select(v => (double)v).ToArray();
        double[]? buf = null;
        for (int s = 0; s < Grads.Length; s++)
        {
            var d = new double[3];
            for (int i = 0; i < 3; i++) d[i] = Grads[s][i] + wd * p[i];
            if (momentum != 0)
            {
                if (buf is null) buf = (double[])d.Clone();
                else for (int i = 0; i < 3; i++) buf[i] = momentum * buf[i] + (1 - dampening) * d[i];
                for (int i = 0; i < 3; i++) d[i] = nesterov ? d[i] + momentum * buf[i] : buf[i];
            }
            for (int i = 0; i < 3; i++) p[i] -= lr * d[i];
            AssertClose(p, trace[s]);
        }
    }

    static double[] AdamReference(double lr, double b1, double b2, double eps, double wd, bool decoupled, bool amsgrad, int step, double[] p, double[] m, double[] v, double[] vmax, float[] g)
    {
        for (int i = 0; i < p.Length; i++)
        {
            double gi = g[i];
            if (decoupled) p[i] *= 1 - lr * wd; else gi += wd * p[i];
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            vmax[i] = Math.Max(vmax[i], v[i]);
            double vh = (amsgrad ? vmax[i] : v[i]) / (1 - Math.Pow(b2, step));
            double mh = m[i] / (1 - Math.Pow(b1, step));
            p[i] -= lr * mh / (Math.Sqrt(vh) + eps);
        }
        return p;
    }

    [Theory]
    [InlineData(0.0, false, false)]
    [InlineData(0.1, false, false)]
    [InlineData(0.0, false, true)]
    [InlineData(0.1, true, false)]
    public void Adam_and_AdamW_match_hand_computed_updates(double wd, bool decoupled, bool amsgrad)
    {
        const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        var trace = decoupled
            ? Run(p => optim.AdamW([p], lr, b1, b2, eps, wd, amsgrad))
            : Run(p => optim.Adam([p], lr, b1, b2, eps, wd, amsgrad));
        var p = P0.Select(v => (double)v).ToArray();
        double[] m = new double[3], v = new double[3], vmax = new double[3];
        for (int s = 0; s < Grads.Length; s++)
        {
            AdamReference(lr, b1, b2, eps, wd, decoupled, amsgrad, s + 1, p, m, v, vmax, Grads[s]);
            AssertClose(p, trace[s]);
        }
    }

    [Fact]
    public void First_adam_step_moves_each_weight_by_lr_times_sign_of_gradient()
    {
        var trace = Run(p => optim.Adam([p], lr: 0.01));
        for (int i = 0; i < 3; i++)
            Assert.Equal(P0[i] - 0.01 * Math.Sign(Grads[0][i]), trace[0][i], 5);
    }

    [Fact]
    public void AdamW_differs_from_adam_with_l2_as_it_should()
    {
        var adamL2 = Run(p => optim.Adam([p], 0.01, weight_decay: 0.1));
        var adamW = Run(p => optim.AdamW([p], 0.01, weight_decay: 0.1));
        var plain = Run(p => optim.Adam([p], 0.01));
        // L2 in Adam is rescaled by the adaptive denominator; decoupled decay is exactly lr * wd * p per step.
        Assert.NotEqual(adamL2[2][0], adamW[2][0]);
        double expectedFirst = (P0[0] * (1 - 0.01 * 0.1)) - 0.01 * Math.Sign(Grads[0][0]);
        Assert.Equal(expectedFirst, adamW[0][0], 5);
        Assert.Equal(plain[0][0] - 0.01 * 0.1 * P0[0], adamW[0][0], 5);
        Assert.Equal(0.01, optim.AdamW([tensor(1f).requires_grad_()]).weight_decay);
    }

    [Fact]
    public void Step_skips_parameters_without_gradients_and_zero_grad_clears_them()
    {
        var a = tensor(new float[] { 1, 2 }).requires_grad_();
        var b = tensor(new float[] { 3, 4 }).requires_grad_();
        var opt = optim.SGD([a, b], 0.5);
        a.grad = tensor(new float[] { 1, 1 });
        opt.step();
        Assert.Equal(new float[] { 0.5f, 1.5f }, a.data<float>().ToArray());
        Assert.Equal(new float[] { 3, 4 }, b.data<float>().ToArray());
        opt.zero_grad();
        Assert.Null(a.grad);
    }

    [Fact]
    public void Optimizer_step_on_a_vae_sized_model_allocates_nothing_after_the_first_step()
    {
        var model = nn.Sequential(nn.Linear(784, 400), nn.ReLU(), nn.Linear(400, 20));
        var opt = optim.Adam(model.parameters());
        foreach (var p in model.parameters()) p.grad = ones_like(p);
        opt.step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) opt.step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 20_000, $"10 Adam steps allocated {allocated} bytes");
    }

    [Fact]
    public void Param_groups_keep_their_own_learning_rates_under_a_scheduler()
    {
        var a = tensor(new float[] { 1f }).requires_grad_();
        var b = tensor(new float[] { 1f }).requires_grad_();
        var opt = optim.SGD([new optim.ParamGroup([a], 0.1), new optim.ParamGroup([b], 0.01)]);
        var sched = optim.lr_scheduler.StepLR(opt, 1, 0.5);
        a.grad = ones(1); b.grad = ones(1);
        opt.step();
        Assert.Equal(0.9f, a.data<float>()[0], 6);
        Assert.Equal(0.99f, b.data<float>()[0], 6);
        sched.step();
        Assert.Equal(new[] { 0.05, 0.005 }, sched.get_last_lr().Select(x => Math.Round(x, 10)));
    }

    [Fact]
    public void StepLR_gives_the_documented_sequence()
    {
        var opt = optim.SGD([tensor(1f).requires_grad_()], 0.1);
        var sched = optim.lr_scheduler.StepLR(opt, step_size: 2, gamma: 0.5);
        var seen = new List<double>();
        for (int e = 0; e < 6; e++) { seen.Add(sched.get_last_lr().Single()); sched.step(); }
        Assert.Equal(new[] { 0.1, 0.1, 0.05, 0.05, 0.025, 0.025 }, seen.Select(x => Math.Round(x, 10)));
        Assert.Equal(0.0125, opt.ParamGroups[0].LearningRate, 10);
    }

    [Fact]
    public void CosineAnnealingLR_and_ExponentialLR_give_the_documented_sequences()
    {
        var opt = optim.Adam([tensor(1f).requires_grad_()], lr: 1.0);
        var cos = optim.lr_scheduler.CosineAnnealingLR(opt, T_max: 4, eta_min: 0.1);
        var seen = new List<double>();
        for (int e = 0; e <= 4; e++) { seen.Add(cos.get_last_lr().Single()); cos.step(); }
        double[] expected = [1.0, 0.1 + 0.9 * (1 + Math.Cos(Math.PI / 4)) / 2, 0.55, 0.1 + 0.9 * (1 + Math.Cos(3 * Math.PI / 4)) / 2, 0.1];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], seen[i], 10);

        var opt2 = optim.SGD([tensor(1f).requires_grad_()], 2.0);
        var exp = optim.lr_scheduler.ExponentialLR(opt2, gamma: 0.5);
        exp.step(); exp.step();
        Assert.Equal(0.5, exp.get_last_lr().Single(), 10);
    }

    [Fact]
    public void Clip_grad_norm_scales_all_gradients_together_and_returns_the_total_norm()
    {
        var a = tensor(new float[] { 3, 0 }).requires_grad_();
        var b = tensor(new float[] { 0, 4 }).requires_grad_();
        a.grad = tensor(new float[] { 3, 0 });
        b.grad = tensor(new float[] { 0, 4 });
        double total = nn.utils.clip_grad_norm_([a, b], max_norm: 1.0);
        Assert.Equal(5.0, total, 5);
        Assert.Equal(0.6, a.grad!.data<float>()[0], 4);
        Assert.Equal(0.8, b.grad!.data<float>()[1], 4);
        // Below the limit nothing changes.
        double again = nn.utils.clip_grad_norm_([a, b], max_norm: 10.0);
        Assert.Equal(1.0, again, 4);
        Assert.Equal(0.6, a.grad!.data<float>()[0], 4);
    }

    [Fact]
    public void Bad_arguments_name_the_optimizer()
    {
        var ex = Assert.Throws<ArgumentException>(() => optim.Adam(Array.Empty<Tensor>()));
        Assert.Contains("Adam", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => optim.SGD([tensor(1f).requires_grad_()], 0.1, nesterov: true));
        Assert.Contains("nesterov", ex2.Message);
    }
}
