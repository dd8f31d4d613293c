using System.Runtime.CompilerServices;
using Course.Torch;
using static Course.Torch.torch;
using F = Course.Torch.torch.nn.functional;

namespace Course.Torch.Tests;

/// <summary>
/// The graph holds edges, not input tensors, and backward recycles the intermediate gradients it made
/// (BufferPool). Both are invisible to results: these tests check that, with tensors big enough to be pooled.
/// </summary>
[Collection(ProcessWideState.Name)] // forces GCs
public class AutogradMemoryTests
{
    // 64 x 128 = 8192 floats: above BufferPool.MinLength, so gradients of this size are recycled.
    const int Rows = 64, Cols = 128;

    static Tensor Data(int seed, params long[] shape) => randn(shape, generator: new Generator(seed));

    /// <summary>A graph where gradients are shared (a + a, views, reshape, expand), summed and passed through.</summary>
    static Tensor Tangled(Tensor x, Tensor w, Tensor b)
    {
        int Rows = (int)x.shape[0], Cols = (int)w.shape[0];
        var h = F.linear(x, w, b);                 // [64,128]
        var r = h.relu();
        var s = r + r;                             // add hands g to both inputs (same storage twice)
        var v = s.reshape(Rows * 2, Cols / 2);     // view of s
        var t = v.tanh().reshape(Rows, Cols);
        var u = t * r + s.narrow(1, 0, Cols / 2).repeat(1, 2); // narrow of s: a second consumer of s
        var m = u.sum(1, keepdim: true).expand(Rows, Cols) * 0.01 + u; // expand: backward sums into a smaller grad
        return (m * m).mean() + (h.transpose(0, 1).contiguous() * 0.5).sum();
    }

    [Fact]
    public void Recycled_gradients_match_unrecycled_ones_exactly()
    {
        var x = Data(1, Rows, 32); var w = Data(2, Cols, 32) * 0.2; var b = Data(3, Cols);
        Tensor[] Grads(bool createGraph)
        {
            var xs = x.clone().requires_grad_(); var ws = w.clone().requires_grad_(); var bs = b.clone().requires_grad_();
            Tangled(xs, ws, bs).backward(create_graph: createGraph); // create_graph turns recycling off
            return [xs.grad!.detach().clone(), ws.grad!.detach().clone(), bs.grad!.detach().clone()];
        }
        var reference = Grads(createGraph: true);
        for (int rep = 0; rep < 3; rep++) // later runs take buffers the earlier ones returned
        {
            var got = Grads(createGraph: false);
            for (int i = 0; i < 3; i++)
                Assert.Equal(reference[i].data<float>().ToArray(), got[i].data<float>().ToArray());
        }
    }

    [Fact]
    public void Tangled_graph_passes_the_finite_difference_check()
    {
        // Small sizes (float32 central differences over thousands of elements would drown in rounding).
        GradCheck.Check(a => Tangled(a[0], a[1], a[2]), Data(4, 4, 3), Data(5, 8, 3), Data(6, 8));
    }

    [Fact]
    public void Retained_non_leaf_grad_is_not_recycled()
    {
        var x = Data(7, Rows, Cols).requires_grad_();
        var h = (x * 2).relu();
        h.retain_grad();
        var y = (h * 3).sum();
        y.backward();
        var kept = h.grad!.detach().clone();
        // More backward passes reuse pooled buffers; h.grad must not change under them.
        for (int i = 0; i < 3; i++) ((Data(8 + i, Rows, Cols).requires_grad_() * 5).exp() * 2).sum().backward();
        Assert.Equal(kept.data<float>().ToArray(), h.grad!.data<float>().ToArray());
        Assert.All(h.grad.data<float>().ToArray(), v => Assert.Equal(3f, v));
    }

    [Fact]
    public void Leaf_grads_survive_later_backward_passes()
    {
        var p = Data(11, Rows, Cols).requires_grad_();
        ((p * p).relu() * 2).sum().backward();
        var first = p.grad!.detach().clone();
        var q = Data(12, Rows, Cols).requires_grad_();
        for (int i = 0; i < 3; i++) { q.grad = null; (((q + 1) * (q - 1)).tanh() * 4).sum().backward(); }
        Assert.Equal(first.data<float>().ToArray(), p.grad!.data<float>().ToArray());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static (Tensor loss, WeakReference preActivation) Forward(Tensor x, Tensor w)
    {
        var h = F.linear(x, w);   // only relu reads h, and relu saves its output, not h
        var weak = new WeakReference(h.storage.F);
        return (h.relu().sum(), weak);
    }

    [Fact]
    public void An_activation_no_backward_needs_is_collected_before_backward()
    {
        var x = Data(13, Rows, 32); var w = (Data(14, Cols, 32) * 0.2).requires_grad_();
        var (loss, weak) = Forward(x, w);
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        Assert.False(weak.IsAlive, "the graph keeps a linear output alive that no backward function reads");
        loss.backward();
        var expected = (F.linear(x, w.detach()).gt(0).to(float32).t().mm(x));
        Assert.True(w.grad!.allclose(expected, rtol: 1e-5, atol: 1e-5));
    }
}
