using Course.Torch;
using static Course.Torch.torch;
using F = Course.Torch.torch.nn.functional;

namespace Course.Torch.Tests.NN;

[Collection(ProcessWideState.Name)] // uses the default generator (nn layer init, random ops)
public class TrainingTests
{
    [Fact]
    public void Mlp_sequential_learns_xor_with_adam()
    {
        manual_seed(0);
        var x = tensor(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, [4, 2]);
        var y = tensor(new float[] { 0, 1, 1, 0 }, [4, 1]);
        var net = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1));
        var opt = optim.Adam(net.parameters(), lr: 0.05);
        float loss = 0;
        for (int step = 0; step < 300; step++)
        {
            var l = F.binary_cross_entropy_with_logits(net.forward(x), y);
            opt.zero_grad();
            l.backward();
            opt.step();
            loss = l.item<float>();
        }
        Assert.True(loss < 0.05, $"final loss {loss}");
        using (no_grad())
            Assert.True(net.forward(x).gt(0).to(float32).equal(y));
    }

    [Fact]
    public void Small_cnn_fits_one_batch_of_mnist_shaped_images()
    {
        manual_seed(1);
        var g = new Generator(123);
        var images = rand([32, 1, 28, 28], generator: g);
        var labels = randint(10, [32], generator: g);
        var net = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * 7 * 7, 10));
        var opt = optim.Adam(net.parameters(), lr: 3e-3);
        float first = 0, last = 0;
        for (int step = 0; step < 40; step++)
        {
            var l = F.cross_entropy(net.forward(images), labels);
            opt.zero_grad();
            l.backward();
            opt.step();
            if (step == 0) first = l.item<float>();
            last = l.item<float>();
        }
        Assert.InRange(first, 2.0, 2.6); // ~ln 10 at initialisation
        Assert.True(last < 0.2 * first, $"loss went from {first} to {last}");
        using (no_grad())
        {
            var acc = net.forward(images).argmax(1).eq(labels).to(float32).mean().item<float>();
            Assert.True(acc > 0.9, $"training accuracy {acc}");
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_training_run()
    {
        float Run()
        {
            manual_seed(7);
            var net = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1));
            var opt = optim.SGD(net.parameters(), 0.1, momentum: 0.9);
            var x = randn(16, 3); var y = randn(16, 1);
            float l = 0;
            for (int i = 0; i < 20; i++)
            {
                var loss = F.mse_loss(net.forward(x), y);
                opt.zero_grad(); loss.backward(); opt.step();
                l = loss.item<float>();
            }
            return l;
        }
        Assert.Equal(Run(), Run());
    }
}
