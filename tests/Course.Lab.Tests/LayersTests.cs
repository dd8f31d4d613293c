using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Course.Lab.Tests;

public class LayersTests
{
    [Fact]
    public void GroupNorm_starts_as_the_identity_affine_map()
    {
        for (int k = 0; k < 5; k++)   // nn.GroupNorm's garbage differs from one allocation to the next
        {
            var norm = Layers.GroupNorm(4, 16);
            Assert.Equal(Enumerable.Repeat(1f, 16), norm.weight!.data<float>().ToArray());
            Assert.Equal(Enumerable.Repeat(0f, 16), norm.bias!.data<float>().ToArray());
            var y = norm.forward(randn(8, 16, 5, 5) * 3 + 2);
            Assert.False(y.isnan().any().item<bool>());
            // Each group of 4 channels comes out with mean 0 and variance 1.
            var groups = y.reshape(8, 4, -1);
            Assert.True(groups.mean([2L]).abs().max().item<float>() < 1e-4);
            Assert.True((groups.var(2L, unbiased: false) - 1).abs().max().item<float>() < 1e-3);
        }
    }
}
