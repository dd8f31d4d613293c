namespace Course.Bench;

/// <summary>
/// Row h: per-op dispatch cost. A chain of 1,000 element-wise ops (z = z + y; z = z * y, 500 times) on 32-float
/// tensors, where the arithmetic is nothing and every op is call overhead: argument marshalling, libtorch's
/// dispatcher, allocating the result and the wrapper's bookkeeping. Milliseconds per chain read as microseconds
/// per op. bench/python/dispatch.py runs the same chain from Python.
/// </summary>
public sealed class DispatchRow : BenchRow
{
    public const int Ops = 1000, Size = 32;
    public override string Id => "h";
    public override string Name => "h  per-op dispatch, 1000 add/mul on 32 floats";
    public override double? Target => 1.0;

    public override BenchStep CreateStep()
    {
        manual_seed(0);
        var x = rand(Size);
        var y = rand(Size);
        return new BenchStep(() =>
        {
            using var scope = NewDisposeScope();
            var z = x;
            for (int i = 0; i < Ops / 2; i++)
            {
                z = z + y;
                z = z * y;
            }
        }, x, y);
    }
}
