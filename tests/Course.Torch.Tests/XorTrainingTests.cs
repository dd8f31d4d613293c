using Course.Torch;
using static Course.Torch.torch;

namespace Course.Torch.Tests;

[Collection(ProcessWideState.Name)] // measures process-wide GC memory
public class XorTrainingTests
{
    [Fact]
    public void Mlp_from_raw_tensors_learns_xor_with_gradient_descent()
    {
        var g = new Generator(0);
        var x = tensor(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, [4, 2]);
        var y = tensor(new float[] { 0, 1, 1, 0 }, [4, 1]);
        var w1 = (randn([2, 8], generator: g) * 0.8).requires_grad_();
        var b1 = zeros(8, requires_grad: true);
        var w2 = (randn([8, 1], generator: g) * 0.8).requires_grad_();
        var b2 = zeros(1, requires_grad: true);
        Tensor[] ps = [w1, b1, w2, b2];
        float loss = 0;
        for (int step = 0; step < 2000; step++)
        {
            var h = x.matmul(w1).add(b1).tanh();
            var logits = h.matmul(w2) + b2;
            var p = logits.sigmoid();
            var l = -(y * p.clamp(1e-6, 1).log() + (1 - y) * (1 - p).clamp(1e-6, 1).log()).mean();
            foreach (var q in ps) q.grad = null;
            l.backward();
            using (no_grad()) foreach (var q in ps) q.sub_(q.grad!, alpha: 0.5);
            loss = l.item<float>();
        }
        Assert.True(loss < 0.05, $"final loss {loss}");
        using (no_grad())
        {
            var pred = (x.matmul(w1).add(b1).tanh().matmul(w2) + b2).sigmoid().gt(0.5).to(float32);
            Assert.True(pred.equal(y));
        }
    }

    [Fact]
    public void Many_training_steps_do_not_grow_memory()
    {
        var w = (randn([64, 64], generator: new Generator(1)) * 0.1).requires_grad_();
        var x = randn([32, 64], generator: new Generator(2));
        void Steps(int n)
        {
            for (int i = 0; i < n; i++)
            {
                var l = x.matmul(w).tanh().square().mean();
                w.grad = null;
                l.backward();
                using (no_grad()) w.sub_(w.grad!, alpha: 0.01);
            }
        }
        Steps(200);
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        long before = GC.GetTotalMemory(true);
        Steps(2000);
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        long after = GC.GetTotalMemory(true);
        Assert.True(after - before < 2_000_000, $"memory grew by {after - before} bytes over 2000 steps");
    }
}
