using TorchSharp;
using static TorchSharp.torch;

namespace Course.Lab.Tests;

public class CheckpointsTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "course-checkpoints-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (System.IO.Directory.Exists(root)) System.IO.Directory.Delete(root, recursive: true);
    }

    private static ModelCard Card(string notebook = "02-autoregressive-pixelcnn.ipynb") =>
        new("PixelCNN", notebook, "exact", 88.5, "binarized MNIST (threshold 0.5)", 120.5, 1234, 0.25, 100,
            new Dictionary<string, double> { ["steps"] = 3000 });

    [Fact]
    public void Weights_card_and_samples_round_trip()
    {
        torch.random.manual_seed(1);
        var model = nn.Linear(4, 3);
        var samples = torch.rand([5, 1, 28, 28], generator: new Generator(2));
        var folder = Checkpoints.Save("pixelcnn", model, Card(), samples, root);
        Assert.Equal(Path.Combine(root, "pixelcnn"), folder);
        Assert.True(Checkpoints.Exists("pixelcnn", root));
        Assert.Empty(System.IO.Directory.GetFiles(folder, "*.tmp"));

        torch.random.manual_seed(99);
        var other = Checkpoints.LoadInto("pixelcnn", nn.Linear(4, 3), root);
        Assert.Equal(model.weight!.data<float>().ToArray(), other.weight!.data<float>().ToArray());

        var card = Checkpoints.Card("pixelcnn", root);
        Assert.Equal(Card() with { Extra = null }, card with { Extra = null });
        Assert.Equal(3000, card.Extra!["steps"]);
        Assert.Equal(88.5 / (784 * Math.Log(2)), card.TestBitsPerDim!.Value, 12);
        Assert.Equal(samples.data<float>().ToArray(), Checkpoints.Samples("pixelcnn", root).data<float>().ToArray());
    }

    [Fact]
    public void Missing_and_mismatched_checkpoints_say_what_to_run()
    {
        Assert.False(Checkpoints.Exists("gan", root));
        var e = Assert.Throws<FileNotFoundException>(() => Checkpoints.Card("gan", root));
        Assert.Contains("'gan'", e.Message);
        Assert.Contains("card.json", e.Message);

        Checkpoints.Save("vae", nn.Linear(4, 3), Card("04-vae.ipynb"), root: root);
        var noSamples = Assert.Throws<FileNotFoundException>(() => Checkpoints.Samples("vae", root));
        Assert.Contains("04-vae.ipynb", noSamples.Message);
        var wrong = Assert.ThrowsAny<Exception>(() => Checkpoints.LoadInto("vae", nn.Linear(5, 3), root));
        Assert.Contains("vae", wrong.Message);
    }

    [Fact]
    public void Names_and_likelihood_kinds_are_checked()
    {
        Assert.Throws<ArgumentException>(() => Checkpoints.PathOf("../escape", root));
        var e = Assert.Throws<ArgumentException>(() => Checkpoints.Save("x", nn.Linear(1, 1), Card() with { Likelihood = "approximate" }, root: root));
        Assert.Contains("approximate", e.Message);
        Assert.False(System.IO.Directory.Exists(Path.Combine(root, "x")));
    }

    [Fact]
    public void The_default_folder_is_artifacts_checkpoints_at_the_repository_root()
    {
        Assert.Equal(Path.Combine(TestRepo.Root, "artifacts", "checkpoints"), Checkpoints.Directory(TestRepo.Root));
    }
}
