namespace Course.Torch.Bench;

/// <summary>The seven workloads of pytorch_reference.py, in its order. Rows b..f wait for nn and optim.</summary>
public static class BenchRegistry
{
    public static IReadOnlyList<BenchRow> All { get; } =
    [
        new SgemmRow("a1", "a1 sgemm 1024x1024x1024", 1024, 1024, 1024),
        new SgemmRow("a2", "a2 sgemm 256x784 @ 784x256", 256, 784, 256),
        new PendingRow("b", "b  VAE MLP 784-400-20, B=128", "nn.Linear, BCE-with-logits, optim.Adam"),
        new PendingRow("c", "c  PixelCNN 7x7A+5x3x3B(64ch), B=64", "nn.Conv2d with autograd, optim.Adam"),
        new PendingRow("d", "d  GAN MLP G64-256-512-784 D784-512-256-1, B=128 (D+G)", "nn.Linear, LeakyReLU, optim.Adam"),
        new PendingRow("e", "e  DDPM 2-D MLP 3-128-128-128-2, B=1024", "nn.Linear, mse_loss, optim.Adam"),
        new PendingRow("f", "f  RealNVP 2-D, 6 couplings MLP 1-64-64-2, B=1024", "nn.Linear, tanh/exp/cat, optim.Adam"),
        new ConvForwardRow(),
        new PixelCnnConvKernelsRow(),
    ];

    /// <summary>Rows whose id is listed (comma-separated), in registry order; all rows when the list is empty.</summary>
    public static IReadOnlyList<BenchRow> Select(IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0) return All;
        var unknown = ids.Where(id => All.All(r => r.Id != id)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown row(s) {string.Join(", ", unknown)}; rows are {string.Join(", ", All.Select(r => r.Id))}");
        return All.Where(r => ids.Contains(r.Id)).ToList();
    }
}
