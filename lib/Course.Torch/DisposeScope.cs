namespace Course.Torch;

/// <summary>
/// TorchSharp frees native memory through dispose scopes. Our tensors are managed, so a scope does nothing;
/// it exists so TorchSharp-style code compiles unchanged.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    internal static readonly DisposeScope Instance = new();
    public void Dispose() { }
    public T MoveToOuter<T>(T t) => t;
    public T Detach<T>(T t) => t;
    public void DisposeEverything() { }
}

public static partial class torch
{
    public static DisposeScope NewDisposeScope() => DisposeScope.Instance;
}
