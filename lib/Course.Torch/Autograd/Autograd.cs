namespace Course.Torch;

using static torch;

/// <summary>
/// Recording ops and running backward. An op computes its forward result, then (only when
/// <see cref="Needs(Tensor)"/>) calls Record with one gradient function per input:
/// <code>
/// var r = ...forward...;
/// if (Autograd.Needs(x)) Autograd.Record("exp", r, x, g => g * r).Save(r);
/// </code>
/// A gradient function receives the gradient of the output and returns the gradient of its input, with the
/// input's shape; it must return a new tensor, or g itself, or a view of g (never a tensor it saved).
/// </summary>
internal static class Autograd
{
    static int stampCounter;

    public static bool Needs(Tensor a) => a.needsGrad && GradMode.Enabled;
    public static bool Needs(Tensor a, Tensor b) => (a.needsGrad || b.needsGrad) && GradMode.Enabled;
    public static bool Needs(Tensor a, Tensor b, Tensor? c) => (a.needsGrad || b.needsGrad || (c is not null && c.needsGrad)) && GradMode.Enabled;

    public static Node Record(string name, Tensor result, Tensor a, Func<Tensor, Tensor> ga)
    {
        var n = new Node(name) { In0 = Edge.To(a), G0 = ga };
        Attach(result, n);
        return n;
    }

    /// <summary>Two inputs; gradient functions run only for inputs that need them.</summary>
    public static Node Record(string name, Tensor result, Tensor a, Func<Tensor, Tensor>? ga, Tensor b, Func<Tensor, Tensor>? gb)
    {
        var n = new Node(name);
        if (a.needsGrad) { n.In0 = Edge.To(a); n.G0 = ga; }
        if (b.needsGrad) { n.In1 = Edge.To(b); n.G1 = gb; }
        Attach(result, n);
        return n;
    }

    /// <summary>Two broadcast inputs: each gradient is summed back to its input's shape.</summary>
    public static Node RecordBroadcast(string name, Tensor result, Tensor a, Func<Tensor, Tensor> ga, Tensor b, Func<Tensor, Tensor> gb)
    {
        var sa = a.shp; var sb = b.shp; var so = result.shp;
        Func<Tensor, Tensor> fa = Shape.SameShape(sa, so) ? ga : g => Reduce.SumTo(ga(g), sa);
        Func<Tensor, Tensor> fb = Shape.SameShape(sb, so) ? gb : g => Reduce.SumTo(gb(g), sb);
        return Record(name, result, a, fa, b, fb);
    }

    /// <summary>Any number of inputs (null gradient functions for inputs that get none, e.g. indices).</summary>
    public static Node RecordN(string name, Tensor result, Tensor?[] inputs, Func<Tensor, Tensor>?[] grads)
    {
        var n = new Node(name) { InN = new Edge[inputs.Length], GN = new Func<Tensor, Tensor>?[inputs.Length] };
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is { needsGrad: true } t && grads[i] is not null) { n.InN[i] = Edge.To(t); n.GN[i] = grads[i]; }
        Attach(result, n);
        return n;
    }

    static void Attach(Tensor r, Node n)
    {
        r.gradFn = n;
        r.needsGrad = true;
        if (GradMode.Anomaly) Anomaly.Check(r, n.Name, "forward output");
    }

    /// <summary>Runs backward from root. gradient null means ones for a one-element root.</summary>
    public static void Backward(Tensor root, Tensor? gradient, bool retainGraph, bool createGraph, IList<Tensor>? onlyLeaves = null)
    {
        if (!root.needsGrad)
            throw new InvalidOperationException("backward: element 0 of tensors does not require grad and does not have a grad_fn " +
                "(no input of this computation has requires_grad = true, or it ran under no_grad).");
        if (gradient is null)
        {
            if (root.count != 1)
                throw new InvalidOperationException($"backward: grad can be implicitly created only for scalar outputs; this tensor has shape {root.ShapeStr}. Pass a gradient of that shape, or reduce it (sum/mean) first.");
            gradient = ones_like(root);
        }
        else if (!Shape.SameShape(gradient.shp, root.shp))
            throw new ArgumentException($"backward: gradient of shape {gradient.ShapeStr} does not match the tensor's shape {root.ShapeStr}.");
        gradient.CheckFloat("backward");

        // Backward functions record a graph only for create_graph (a scope in this flow, restored below).
        var prev = GradMode.SetGrad(createGraph);
        try
        {
            if (root.gradFn is null) { if (Wanted(root, onlyLeaves)) AccumulateLeaf(root, gradient, gradient); return; }
            var order = TopoOrder(root.gradFn);
            root.gradFn.Accum = gradient;
            bool retain = retainGraph || createGraph;
            // Intermediate gradients this loop made and nobody else can reach go back to BufferPool once used.
            // create_graph keeps them: the recorded backward graph may hold them.
            bool recycle = !createGraph;
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var node = order[i];
                var g = node.Accum;
                bool gOwned = node.AccumOwned;
                node.Accum = null; node.AccumOwned = false;
                if (g is null) { if (!retain) node.Release(); continue; }
                node.CheckSaved();
                if (node.RetainTarget is { } rt)
                {
                    rt.grad = rt.grad is null ? Strided.Contiguous(g.ContigF("retain_grad")) : rt.grad + g;
                    gOwned = false;
                }
                int n = node.InputCount, live = 0;
                for (int j = 0; j < n; j++) if (node.Input(j).Shape is not null && node.Grad(j) is not null) live++;
                for (int j = 0; j < n; j++)
                {
                    var e = node.Input(j);
                    var f = node.Grad(j);
                    if (e.Shape is null || f is null) continue;
                    long before = Storage.NextSerial;
                    var gi = f(g);
                    if (!Shape.SameShape(gi.shp, e.Shape))
                        throw new InvalidOperationException($"backward of '{node.Name}': gradient for input {j} has shape {gi.ShapeStr}, expected {Shape.Str(e.Shape)} (engine bug).");
                    if (GradMode.Anomaly) Anomaly.Check(gi, node.Name, $"backward gradient for input {j}");
                    bool fresh = recycle && gi.storage.Serial >= before;
                    // A one-input node that passes its own gradient on untouched (relu whose mask the next GEMM already
                    // applied) hands its ownership on with it, so the buffer is still recycled downstream.
                    if (ReferenceEquals(gi, g) && gOwned && live == 1) fresh = recycle;
                    // g itself or a view of it was passed on: its buffer lives on.
                    if (ReferenceEquals(gi.storage, g.storage)) gOwned = false;
                    if (e.Fn is { } tn)
                    {
                        if (tn.Accum is null) { tn.Accum = gi; tn.AccumOwned = fresh; }
                        else
                        {
                            var acc0 = tn.Accum;
                            bool prevOwned = tn.AccumOwned;
                            var sum = acc0 + gi;
                            tn.Accum = sum;
                            tn.AccumOwned = recycle && !ReferenceEquals(sum.storage, acc0.storage) && !ReferenceEquals(sum.storage, gi.storage);
                            if (prevOwned && !ReferenceEquals(sum.storage, acc0.storage)) Recycle(acc0);
                            if (fresh && !ReferenceEquals(sum.storage, gi.storage)) Recycle(gi);
                        }
                    }
                    else if (Wanted(e.Leaf!, onlyLeaves)) AccumulateLeaf(e.Leaf!, gi, g);
                }
                if (gOwned) Recycle(g);
                if (!retain) node.Release();
            }
        }
        finally
        {
            GradMode.RestoreGrad(prev);
        }
    }

    static void Recycle(Tensor t)
    {
        if (t.storage.F is { } a) BufferPool.Return(a);
    }

    /// <summary>autograd.grad fills only its inputs; backward() fills every leaf.</summary>
    static bool Wanted(Tensor leaf, IList<Tensor>? only)
    {
        if (only is null) return true;
        for (int i = 0; i < only.Count; i++) if (ReferenceEquals(only[i], leaf)) return true;
        return false;
    }

    static List<Node> TopoOrder(Node root)
    {
        int stamp = Interlocked.Increment(ref stampCounter); // backward may run on several flows at once
        var order = new List<Node>();
        var stack = new List<(Node node, int next)> { (root, 0) };
        if (root.Released) ThrowReleased(root);
        root.Stamp = stamp;
        while (stack.Count > 0)
        {
            var (node, next) = stack[^1];
            int n = node.InputCount;
            bool pushed = false;
            while (next < n)
            {
                if (node.Input(next++).Fn is { } child && child.Stamp != stamp)
                {
                    if (child.Released) ThrowReleased(child);
                    child.Stamp = stamp;
                    stack[^1] = (node, next);
                    stack.Add((child, 0));
                    pushed = true;
                    break;
                }
            }
            if (!pushed) { stack.RemoveAt(stack.Count - 1); order.Add(node); }
        }
        return order; // post-order: inputs before users; walked backwards
    }

    static void ThrowReleased(Node n) => throw new InvalidOperationException(
        $"backward: trying to backward through the graph a second time (at '{n.Name}'); its saved values were freed after the first backward. " +
        "Call backward(retain_graph: true) the first time if you need to backward twice.");

    /// <summary>Adds a gradient into a leaf's .grad, copying it first when it may alias another tensor.</summary>
    static void AccumulateLeaf(Tensor leaf, Tensor gi, Tensor incoming)
    {
        if (!leaf.needsGrad) return;
        var existing = leaf.grad;
        if (existing is null)
        {
            bool owned = !ReferenceEquals(gi, incoming) && gi.viewBase is null && gi.contig && gi.gradFn is null;
            leaf.grad = owned || GradMode.Enabled ? gi : Strided.Contiguous(gi.ContigF("backward"));
        }
        else if (GradMode.Enabled) leaf.grad = existing + gi;
        else
        {
            var src = gi.ContigF("backward");
            if (existing.contig) System.Numerics.Tensors.TensorPrimitives.Add(existing.FSpan, src.FSpan, existing.FSpan);
            else leaf.grad = existing + gi;
            existing.storage.Version++;
        }
    }
}
