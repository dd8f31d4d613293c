using Course.Torch;
using static Course.Torch.torch;

namespace Course.Torch.Tests;

[Collection(ProcessWideState.Name)] // uses the default generator; checks the graph is collected
public class AutogradTests
{
    [Fact]
    public void Grad_is_null_until_backward_then_accumulates()
    {
        var w = tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        Assert.Null(w.grad);
        (w * w).sum().backward();
        Assert.Equal(new float[] { 2, 4, 6 }, w.grad!.data<float>().ToArray());
        (w * 3).sum().backward();
        Assert.Equal(new float[] { 5, 7, 9 }, w.grad!.data<float>().ToArray());
        w.grad!.zero_();
        Assert.Equal(0f, w.grad.sum().item<float>());
    }

    [Fact]
    public void Backward_with_explicit_gradient_on_non_scalar()
    {
        var x = tensor(new float[] { 1, 2 }, requires_grad: true);
        var y = x * x;
        y.backward(tensor(new float[] { 1, 10 }));
        Assert.Equal(new float[] { 2, 40 }, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Backward_on_non_scalar_without_gradient_throws()
    {
        var x = ones(2, 3, requires_grad: true);
        var e = Assert.Throws<InvalidOperationException>(() => (x * 2).backward());
        Assert.Contains("scalar", e.Message);
        Assert.Contains("[2, 3]", e.Message);
    }

    [Fact]
    public void Backward_twice_throws_unless_retained()
    {
        var x = ones(2, requires_grad: true);
        var y = (x.exp() * 2).sum();
        y.backward();
        var e = Assert.Throws<InvalidOperationException>(() => y.backward());
        Assert.Contains("second time", e.Message);

        var z = (x.exp() * 2).sum();
        z.backward(retain_graph: true);
        z.backward();
        Assert.True(x.grad!.allclose(full([2], 6 * Math.E, float32), 1e-4, 1e-4)); // 2e from y, 2e twice from z
    }

    [Fact]
    public void No_grad_and_grad_mode_scopes()
    {
        var x = ones(2, requires_grad: true);
        Assert.True(is_grad_enabled());
        using (no_grad())
        {
            Assert.False(is_grad_enabled());
            Assert.False((x * 2).requires_grad);
            using (enable_grad()) Assert.True((x * 2).requires_grad);
        }
        using (set_grad_enabled(false)) Assert.False((x + 1).requires_grad);
        Assert.True((x * 2).requires_grad);
        Assert.False((x * 2).detach().requires_grad);
    }

    [Fact]
    public void In_place_on_leaf_requiring_grad_throws_outside_no_grad()
    {
        var w = ones(3, requires_grad: true);
        var e = Assert.Throws<InvalidOperationException>(() => w.add_(1));
        Assert.Contains("add_", e.Message);
        using (no_grad()) w.sub_(ones(3), alpha: 0.5);
        Assert.Equal(0.5f, w[0].item<float>());
    }

    [Fact]
    public void In_place_change_of_saved_tensor_is_detected()
    {
        var x = ones(3, requires_grad: true);
        var h = x * 2;
        var y = h.exp();        // saves its output
        var e2 = y.sum();
        using (no_grad()) y.mul_(3);
        var e = Assert.Throws<InvalidOperationException>(() => e2.backward());
        Assert.Contains("exp", e.Message);
    }

    [Fact]
    public void In_place_ops_on_tracked_non_leaf_keep_gradients_right()
    {
        var x = tensor(new float[] { 1, 2 }, requires_grad: true);
        var h = x * 3;
        h.add_(1).mul_(2);  // h = 2(3x + 1)
        h.sum().backward();
        Assert.Equal(new float[] { 6, 6 }, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Anomaly_mode_names_the_first_op_with_nan()
    {
        var x = tensor(new float[] { -1, 1 }, requires_grad: true);
        using (autograd.detect_anomaly())
        {
            var e = Assert.Throws<ArithmeticException>(() => x.log());
            Assert.Contains("'log'", e.Message);
            var e2 = Assert.Throws<ArithmeticException>(() => (x.abs() - 1).sqrt().sum().backward());
            Assert.Contains("'sqrt'", e2.Message);
            Assert.Contains("backward", e2.Message);
        }
        Assert.True(float.IsNaN(x.log()[0].item<float>()));
    }

    [Fact]
    public void Requires_grad_is_settable_on_leaves_only()
    {
        var x = zeros(2);
        x.requires_grad = true;
        var y = x * 2;
        Assert.Throws<InvalidOperationException>(() => y.requires_grad = false);
        Assert.Throws<InvalidOperationException>(() => zeros(2, dtype: int64).requires_grad_());
        Assert.True(x.is_leaf); Assert.False(y.is_leaf);
    }

    [Fact]
    public void Graph_is_collectable_after_backward()
    {
        var w = randn(64, 64, requires_grad: true);
        var weak = MakeGraph(w);
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        Assert.False(weak.IsAlive);
    }

    static WeakReference MakeGraph(Tensor w)
    {
        var h = w.matmul(w).tanh();
        var weak = new WeakReference(h);
        h.sum().backward();
        return weak;
    }

    [Fact]
    public void Retain_grad_and_jacobian()
    {
        var x = tensor(new float[] { 1, 2 }, requires_grad: true);
        var h = (x * 3).retain_grad();
        (h * h).sum().backward();
        Assert.Equal(new float[] { 6, 12 }, h.grad!.data<float>().ToArray());
        var a = tensor(new float[,] { { 1, 2 }, { -0.1f, 0.5f } });
        var j = autograd.functional.jacobian(z => z.matmul(a), tensor(new float[] { 0.3f, -0.7f }));
        Assert.True(j.allclose(a.t()));
        Assert.Equal(1.0 * 0.5 - 2 * -0.1, linalg.det(j).item<float>(), 5);
    }

    [Fact]
    public void Create_graph_gives_second_derivative()
    {
        var x = tensor(new float[] { 2 }, requires_grad: true);
        var y = (x * x * x).sum();
        y.backward(create_graph: true);
        var g = x.grad!;         // 3x^2 = 12, with graph
        Assert.Equal(12f, g.item<float>());
        x.grad = null;
        g.sum().backward();
        Assert.Equal(12f, x.grad!.item<float>()); // 6x
    }
}
