using Course.Torch;
using static Course.Torch.torch;

namespace Course.Torch.Tests;

/// <summary>
/// Grad-mode and anomaly scopes are local to the async flow that opened them (AsyncLocal), as PyTorch's are local to
/// a thread: a background task and the code that started it do not switch each other's mode.
/// </summary>
public class GradModeScopeTests
{
    [Fact]
    public async Task A_scope_holds_across_an_await_that_resumes_on_another_thread()
    {
        using (no_grad())
        {
            await Task.Yield();
            await Task.Delay(1);
            Assert.False(is_grad_enabled());
            var y = ones(2).requires_grad_() * 2;
            Assert.False(y.requires_grad);
        }
        Assert.True(is_grad_enabled());
    }

    [Fact]
    public async Task A_task_started_inside_a_scope_inherits_it()
    {
        using (no_grad())
            Assert.False(await Task.Run(() => is_grad_enabled()));
        Assert.True(await Task.Run(() => is_grad_enabled()));
    }

    [Fact]
    public async Task A_scope_opened_on_one_flow_does_not_reach_a_task_already_running()
    {
        using var started = new SemaphoreSlim(0);
        using var go = new SemaphoreSlim(0);
        var background = Task.Run(async () =>
        {
            started.Release();
            await go.WaitAsync();
            // Builds a graph while the other flow sits inside no_grad.
            var w = ones(3).requires_grad_();
            var loss = (w * w).sum();
            loss.backward();
            return (is_grad_enabled(), w.grad!.ToArray());
        });
        await started.WaitAsync();
        using (no_grad())
        {
            go.Release();
            var (enabled, grad) = await background;
            Assert.True(enabled);
            Assert.Equal(new[] { 2f, 2f, 2f }, grad);
            Assert.False(is_grad_enabled());
        }
    }

    [Fact]
    public async Task A_scope_that_is_never_disposed_ends_with_the_async_method_that_opened_it()
    {
        // A notebook cell is such a method: a scope left open in one cell does not leak into the next.
        static async Task OpenAndForget()
        {
            set_grad_enabled(false);
            autograd.detect_anomaly();
            await Task.Yield();
            Assert.False(is_grad_enabled());
            Assert.True(is_anomaly_enabled());
        }
        await OpenAndForget();
        Assert.True(is_grad_enabled());
        Assert.False(is_anomaly_enabled());
    }

    [Fact]
    public void Backward_restores_the_callers_mode_and_runs_backward_functions_without_grad()
    {
        var x = tensor(new float[] { 1, 2 }).requires_grad_();
        // Without create_graph the backward functions run with grad off: the gradient records no graph.
        var g = autograd.grad([x.exp().sum()], [x])[0];
        Assert.False(g.requires_grad);
        Assert.True(is_grad_enabled());
        // With create_graph they record one, and the caller's mode is restored either way.
        var h = autograd.grad([(x * x).sum()], [x], create_graph: true)[0];
        Assert.True(h.requires_grad);
        Assert.True(is_grad_enabled());
    }

    [Fact]
    public void Nested_scopes_restore_in_order_and_disposing_twice_is_harmless()
    {
        var outer = no_grad();
        var inner = enable_grad();
        Assert.True(is_grad_enabled());
        inner.Dispose();
        inner.Dispose();
        Assert.False(is_grad_enabled());
        using (set_grad_enabled(true)) Assert.True(is_grad_enabled());
        Assert.False(is_grad_enabled());
        outer.Dispose();
        Assert.True(is_grad_enabled());
        using (inference_mode()) Assert.False(is_grad_enabled());
    }
}

/// <summary>set_anomaly_enabled changes a process-wide default, so this class runs alone (see AssemblyInfo.cs).</summary>
[Collection(ProcessWideState.Name)]
public class AnomalyDefaultTests
{
    [Fact]
    public async Task Set_anomaly_enabled_is_a_default_for_every_flow_and_a_scope_overrides_it()
    {
        try
        {
            await Task.Run(() => set_anomaly_enabled(true));
            Assert.True(is_anomaly_enabled());
            Assert.True(await Task.Run(() => is_anomaly_enabled()));
            using (autograd.set_detect_anomaly(false)) Assert.False(is_anomaly_enabled());
            var x = tensor(new float[] { -1 }).requires_grad_();
            var e = Assert.ThrowsAny<Exception>(() => x.log());
            Assert.Contains("log", e.Message);
        }
        finally
        {
            set_anomaly_enabled(false);
        }
        Assert.False(is_anomaly_enabled());
    }
}
