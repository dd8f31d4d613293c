namespace Course.Torch;

using static torch;

/// <summary>
/// Where one input's gradient goes: the node that produced the input, or the input itself when it is a leaf,
/// plus the input's shape. A node never holds a non-leaf input tensor, as PyTorch's edges do not: an
/// activation that no backward function saved (a linear layer's output consumed by relu) can be collected
/// during the forward pass instead of living, and being copied by every GC, until backward.
/// </summary>
internal readonly struct Edge(Node? fn, torch.Tensor? leaf, int[]? shape)
{
    public readonly Node? Fn = fn;
    public readonly torch.Tensor? Leaf = leaf;
    /// <summary>The input's shape; null for an unset edge (an input that needs no gradient).</summary>
    public readonly int[]? Shape = shape;

    /// <summary>The edge to t, as the graph stands now (t's producer at record time, as in PyTorch).</summary>
    public static Edge To(torch.Tensor t) => t.gradFn is { } fn ? new(fn, null, t.shp) : new(null, t, t.shp);
}

/// <summary>
/// One recorded op in the autograd graph: an edge per input that needs a gradient, and for each a function from
/// the gradient of the op's output to the gradient of that input (already reduced to the input's shape).
/// Ops create nodes through <see cref="Autograd.Record(string, Tensor, Tensor, Func{Tensor, Tensor})"/>.
/// Backward functions run with grad mode off (no higher-order gradients).
/// </summary>
internal sealed class Node
{
    public readonly string Name;
    public Edge In0, In1;
    public Func<Tensor, Tensor>? G0, G1;
    public Edge[]? InN;
    public Func<Tensor, Tensor>?[]? GN;

    // Tensors whose values the backward functions read, with their storage versions at record time.
    Tensor? saved0, saved1;
    int ver0, ver1;

    // Per-backward scratch: visit stamp and the gradient accumulated so far for this node's output.
    internal int Stamp;
    internal Tensor? Accum;
    /// <summary>Accum's buffer was made by this backward and nothing else references it (it may be recycled).</summary>
    internal bool AccumOwned;
    internal bool Released;
    /// <summary>The output tensor when retain_grad() asked for its gradient.</summary>
    internal Tensor? RetainTarget;

    public Node(string name) => Name = name;

    /// <summary>Marks a tensor whose values backward will read; an in-place change before backward then throws.</summary>
    public Node Save(Tensor t)
    {
        if (saved0 is null) { saved0 = t; ver0 = t.storage.Version; }
        else if (saved1 is null) { saved1 = t; ver1 = t.storage.Version; }
        return this;
    }

    internal void CheckSaved()
    {
        if ((saved0 is not null && saved0.storage.Version != ver0) || (saved1 is not null && saved1.storage.Version != ver1))
            throw new InvalidOperationException(
                $"backward: a tensor saved by '{Name}' was modified by an in-place operation after it was used; " +
                "its gradient would be wrong. Use an out-of-place op (e.g. x = x * 2 instead of x.mul_(2)) or clone() first.");
    }

    internal int InputCount => InN?.Length ?? 2;

    internal Edge Input(int i) => InN is not null ? InN[i] : i == 0 ? In0 : In1;
    internal Func<Tensor, Tensor>? Grad(int i) => GN is not null ? GN[i] : i == 0 ? G0 : G1;

    /// <summary>Drops the closures and inputs so saved tensors can be collected; a second backward then fails.</summary>
    internal void Release()
    {
        In0 = In1 = default; G0 = G1 = null; InN = null; GN = null; saved0 = saved1 = null;
        Released = true;
    }
}
