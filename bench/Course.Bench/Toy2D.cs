namespace Course.Bench;

/// <summary>The 8-Gaussian ring of pytorch_reference.py's toy_2d.</summary>
public static class Toy2D
{
    public static Tensor Ring(int n, Generator g)
    {
        using var scope = NewDisposeScope();
        var k = randint(0, 8, [n], generator: g);
        var ang = k.@float() * (2 * Math.PI / 8);
        var c = stack([cos(ang), sin(ang)], 1) * 2.0;
        return (c + 0.1 * randn([n, 2], generator: g)).MoveToOuterDisposeScope();
    }
}
