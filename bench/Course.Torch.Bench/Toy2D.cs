using Course.Torch;
using Course.Torch.Modules;
using static Course.Torch.torch;
using F = Course.Torch.torch.nn.functional;

namespace Course.Torch.Bench;

/// <summary>The 8-Gaussian ring of pytorch_reference.py's toy_2d.</summary>
public static class Toy2D
{
    public static Tensor Ring(int n, Generator g)
    {
        var k = randint(0, 8, [n], generator: g);
        var ang = k.to(float32) * (2 * Math.PI / 8);
        var c = stack([ang.cos(), ang.sin()], 1) * 2.0;
        return c + 0.1 * randn([n, 2], generator: g);
    }
}
