using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.Lab;

/// <summary>
/// Layers whose TorchSharp 0.107 factory misbehaves, made safe. Everything else comes from <c>torch.nn</c> directly.
/// </summary>
/// <remarks>
/// A related libtorch 2.10 CPU quirk needs no wrapper: a convolution's input gradient can come out NaN when the memory
/// it reuses held NaN (measured for 1, 2 and 4 output channels; it behaves as if uninitialised memory were multiplied
/// by zero). Finite leftovers give exact gradients, so it only spreads a NaN that some earlier bug made (an
/// uninitialised GroupNorm, say); <see cref="Progress"/> stops a run at its first NaN loss, naming the step.
/// </remarks>
public static class Layers
{
    /// <summary>
    /// <c>nn.GroupNorm</c> with its affine weight set to 1 and bias to 0, as PyTorch starts it. TorchSharp 0.107 leaves
    /// them uninitialised (whatever the memory held: huge values, often NaN), which poisons the first forward pass.
    /// </summary>
    public static GroupNorm GroupNorm(long groups, long channels, double eps = 1e-5, bool affine = true)
    {
        var norm = nn.GroupNorm(groups, channels, eps, affine);
        if (affine)
            using (no_grad())
            {
                norm.weight!.fill_(1);
                norm.bias!.fill_(0);
            }
        return norm;
    }
}
