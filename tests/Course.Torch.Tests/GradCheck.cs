using Course.Torch;
using static Course.Torch.torch;

namespace Course.Torch.Tests;

/// <summary>
/// Finite-difference gradient checker. For L = sum(f(inputs) * w) with a fixed random w, compares autograd's
/// dL/dinput with central differences (eps = 1e-2, evaluated in float32, accumulated in double).
/// Views and broadcasting are exercised by writing them inside f.
/// </summary>
public static class GradCheck
{
    public static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs) => Check(f, inputs, eps: 1e-2, atol: 1e-2, rtol: 1e-2);

    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps, double atol, double rtol)
    {
        var xs = inputs.Select(x => x.detach().clone().requires_grad_()).ToArray();
        var outp = f(xs);
        var w = randn(outp.shape, generator: new Generator(1234));
        var loss = (outp * w).sum();
        loss.backward();
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.True(xs[i].grad is not null, $"input {i}: no gradient reached it");
            var analytic = xs[i].grad!.data<float>().ToArray();
            var numeric = Numeric(f, xs, i, w, eps);
            for (int j = 0; j < analytic.Length; j++)
            {
                double tol = atol + rtol * Math.Abs(numeric[j]);
                Assert.True(Math.Abs(analytic[j] - numeric[j]) <= tol,
                    $"input {i}, element {j}: autograd {analytic[j]:G6} vs finite difference {numeric[j]:G6}");
            }
        }
    }

    /// <summary>
    /// The same check for leaves that live inside a module (parameters): f builds the output from them, and the
    /// finite differences perturb each leaf's storage in place under no_grad.
    /// </summary>
    public static void CheckLeaves(Func<Tensor> f, params Tensor[] leaves)
    {
        foreach (var l in leaves) l.grad = null;
        var outp = f();
        var w = randn(outp.shape, generator: new Generator(1234));
        (outp * w).sum().backward();
        var wv = w.data<float>().ToArray();
        const double eps = 1e-2;
        for (int i = 0; i < leaves.Length; i++)
        {
            Assert.True(leaves[i].grad is not null, $"leaf {i}: no gradient reached it");
            var analytic = leaves[i].grad!.data<float>().ToArray();
            using var _ = no_grad();
            var acc = leaves[i].data<float>();
            for (int j = 0; j < analytic.Length; j++)
            {
                float orig = acc[j];
                acc[j] = (float)(orig + eps); double lp = Weighted(f(), wv);
                acc[j] = (float)(orig - eps); double lm = Weighted(f(), wv);
                acc[j] = orig;
                double numeric = (lp - lm) / (2 * eps);
                Assert.True(Math.Abs(analytic[j] - numeric) <= 1e-2 + 1e-2 * Math.Abs(numeric),
                    $"leaf {i}, element {j}: autograd {analytic[j]:G6} vs finite difference {numeric:G6}");
            }
        }
    }

    static double[] Numeric(Func<Tensor[], Tensor> f, Tensor[] xs, int which, Tensor w, double eps)
    {
        using var _ = no_grad();
        var plain = xs.Select(x => x.detach()).ToArray();
        var data = plain[which];
        var acc = data.data<float>();
        var result = new double[data.numel()];
        var wv = w.data<float>().ToArray();
        for (int j = 0; j < result.Length; j++)
        {
            float orig = acc[j];
            acc[j] = (float)(orig + eps);
            double lp = Weighted(f(plain), wv);
            acc[j] = (float)(orig - eps);
            double lm = Weighted(f(plain), wv);
            acc[j] = orig;
            result[j] = (lp - lm) / (2 * eps);
        }
        return result;
    }

    static double Weighted(Tensor y, float[] w)
    {
        var v = y.data<float>().ToArray();
        double s = 0;
        for (int i = 0; i < v.Length; i++) s += (double)v[i] * w[i];
        return s;
    }

    /// <summary>Random inputs away from zero (kinks of relu/abs/max sit there).</summary>
    public static Tensor AwayFromZero(long[] shape, int seed, double min = 0.2)
    {
        var g = new Generator(seed);
        var r = rand(shape, generator: g) * (1 - min) + min;
        var sign = (rand(shape, generator: g) > 0.5).to(ScalarType.Float32) * 2 - 1;
        return r * sign;
    }

    public static Tensor Positive(long[] shape, int seed, double lo = 0.5, double hi = 2) => rand(shape, generator: new Generator(seed)) * (hi - lo) + lo;
    public static Tensor Randn(long[] shape, int seed) => randn(shape, generator: new Generator(seed));
}
