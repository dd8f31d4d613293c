using Course.Torch;
using static Course.Torch.torch;

namespace Course.Torch.Tests.NN;

[Collection(ProcessWideState.Name)] // uses the default generator (nn layer init, random ops)
public class DistributionTests
{
    [Fact]
    public void Normal_log_prob_and_entropy_match_closed_forms()
    {
        var d = distributions.Normal(tensor(new float[] { 0f, 2f }), tensor(new float[] { 1f, 0.5f }));
        var lp = d.log_prob(tensor(new float[] { 1f, 2f })).data<float>().ToArray();
        Assert.Equal(-0.5 - 0.5 * Math.Log(2 * Math.PI), lp[0], 5);
        Assert.Equal(-Math.Log(0.5) - 0.5 * Math.Log(2 * Math.PI), lp[1], 5);
        var h = d.entropy().data<float>().ToArray();
        Assert.Equal(0.5 + 0.5 * Math.Log(2 * Math.PI), h[0], 5);
        Assert.Equal(0.5 + 0.5 * Math.Log(2 * Math.PI) + Math.Log(0.5), h[1], 5);
        Assert.Equal(0.25f, d.variance.data<float>()[1]);
        Assert.Equal(0.5, d.cdf(tensor(new float[] { 0f, 2f })).data<float>()[0], 5);
        Assert.Equal(0.8413447, d.cdf(tensor(new float[] { 1f, 2.5f })).data<float>()[1], 4);
        Assert.Equal(1.0, d.icdf(tensor(new float[] { 0.8413447f, 0.5f })).data<float>()[0], 3);
    }

    [Fact]
    public void Rsample_gradients_are_one_for_loc_and_eps_for_scale()
    {
        var loc = tensor(new float[] { 1.5f, -0.3f }).requires_grad_();
        var scale = tensor(new float[] { 0.7f, 2f }).requires_grad_();
        var z = distributions.Normal(loc, scale, new Generator(11)).rsample();
        z.sum().backward();
        var eps = randn([2], generator: new Generator(11)).data<float>().ToArray();
        Assert.Equal(new float[] { 1f, 1f }, loc.grad!.data<float>().ToArray());
        var gs = scale.grad!.data<float>().ToArray();
        Assert.Equal(eps[0], gs[0], 5);
        Assert.Equal(eps[1], gs[1], 5);
        Assert.Equal(1.5 + 0.7 * eps[0], z.data<float>()[0], 5);
        // sample() records no graph.
        Assert.False(distributions.Normal(loc, scale).sample(3).requires_grad);
        Assert.Equal(new long[] { 3, 2 }, distributions.Normal(loc, scale).sample(3).shape);
    }

    [Fact]
    public void Normal_kl_matches_the_closed_form_and_monte_carlo()
    {
        // The course's VAE example: KL(N(2, 0.5^2) || N(0, 1)) = 2.318
        var p = distributions.Normal(tensor(2f), tensor(0.5f), new Generator(3));
        var q = distributions.Normal(tensor(0f), tensor(1f));
        double kl = distributions.kl.kl_divergence(p, q).item<float>();
        Assert.Equal(-Math.Log(0.5) + (0.25 + 4) / 2 - 0.5, kl, 5);
        var z = p.sample(20000);
        double mc = (p.log_prob(z) - q.log_prob(z)).mean().item<float>();
        Assert.InRange(mc, kl - 0.05, kl + 0.05);
    }

    [Fact]
    public void Bernoulli_from_logits_equals_from_probs()
    {
        var logits = tensor(new float[] { -3f, 0f, 1.2f, 4f });
        var a = distributions.Bernoulli(logits: logits);
        var b = distributions.Bernoulli(probs: logits.sigmoid());
        var v = tensor(new float[] { 0f, 1f, 1f, 0f });
        Assert.True(a.log_prob(v).allclose(b.log_prob(v), 1e-4, 1e-5));
        Assert.True(a.entropy().allclose(b.entropy(), 1e-4, 1e-5));
        Assert.True(a.probs.allclose(b.probs));
        Assert.True(a.logits.allclose(b.logits, 1e-4, 1e-4));
        Assert.Equal(Math.Log(1 / (1 + Math.Exp(-3))), a.log_prob(v).data<float>()[0], 5); // p(0) = 1 - sigmoid(-3)
        // Stable at extreme logits: log p(1 | logit -100) = -100, not -inf.
        var far = distributions.Bernoulli(logits: tensor(new float[] { -100f }));
        Assert.Equal(-100, far.log_prob(tensor(new float[] { 1f })).item<float>(), 3);
        var s = distributions.Bernoulli(probs: full(10000, 0.3), generator: new Generator(5)).sample();
        Assert.InRange(s.mean().item<float>(), 0.28, 0.32);
        Assert.Throws<ArgumentException>(() => distributions.Bernoulli());
    }

    [Fact]
    public void Categorical_sample_frequencies_log_prob_and_entropy()
    {
        var probs = tensor(new float[] { 0.1f, 0.6f, 0.3f });
        var d = distributions.Categorical(probs: probs, generator: new Generator(21));
        var s = d.sample(20000);
        Assert.Equal(new long[] { 20000 }, s.shape);
        var counts = new double[3];
        foreach (var k in s.data<long>().ToArray()) counts[k]++;
        Assert.InRange(counts[0] / 20000, 0.09, 0.11);
        Assert.InRange(counts[1] / 20000, 0.585, 0.615);
        Assert.InRange(counts[2] / 20000, 0.285, 0.315);
        Assert.Equal(Math.Log(0.6), d.log_prob(tensor(1L)).item<float>(), 5);
        double h = -(0.1 * Math.Log(0.1) + 0.6 * Math.Log(0.6) + 0.3 * Math.Log(0.3));
        Assert.Equal(h, d.entropy().item<float>(), 5);
        var fromLogits = distributions.Categorical(logits: probs.log() + 3);
        Assert.True(fromLogits.probs.allclose(probs, 1e-5, 1e-6));
        var batched = distributions.Categorical(logits: zeros(4, 5), generator: new Generator(2));
        Assert.Equal(new long[] { 7, 4 }, batched.sample(7).shape);
        Assert.Equal(new long[] { 4 }, batched.log_prob(tensor(new long[] { 0, 1, 2, 3 })).shape);
        // Same seed, same draws.
        var again = distributions.Categorical(probs: probs, generator: new Generator(21)).sample(20000);
        Assert.True(again.equal(s));
    }

    [Fact]
    public void Uniform_moments_log_prob_and_samples()
    {
        var d = distributions.Uniform(tensor(0f), tensor(255f), new Generator(4));
        var x = d.sample(10000);
        Assert.InRange(x.mean().item<float>(), 125.0, 130.0);          // ~127.5
        Assert.InRange(x.std().item<float>(), 72.0, 75.8);             // ~73.6
        Assert.Equal(255 * 255 / 12.0, d.variance.item<float>(), 1);
        Assert.Equal(-Math.Log(255), d.log_prob(tensor(3f)).item<float>(), 5);
        Assert.True(float.IsNegativeInfinity(d.log_prob(tensor(300f)).item<float>()));
        Assert.Equal(Math.Log(255), d.entropy().item<float>(), 4);
    }
}
