using Course.Torch;
using static Course.Torch.torch;

namespace Course.Lab.Tests;

public class TensorApiTests
{
    [Fact]
    public void Mnist_as_tensors_has_the_promised_shapes_and_types()
    {
        var test = Mnist.Test(dataDirectory: TestRepo.MnistDir);
        var x = test.X;
        var y = test.Y;
        Assert.Equal([10_000L, 1, 28, 28], x.shape);
        Assert.Equal(ScalarType.Float32, x.dtype);
        Assert.Equal([10_000L], y.shape);
        Assert.Equal(ScalarType.Int64, y.dtype);
        Assert.Equal(7L, y.data<long>()[0]);
        Assert.Equal(test.Data[7 * 28 + 7], x.data<float>()[0, 0, 7, 7]);

        // X is a copy: an in-place op on it leaves the dataset as loaded.
        float before = test.Data[0];
        x.add_(1f);
        Assert.Equal(before, test.Data[0]);
        Assert.Equal(before, test.X.data<float>()[0, 0, 0, 0]);
    }

    [Fact]
    public void Batches_are_seeded_cover_the_set_and_keep_or_drop_the_last()
    {
        var ds = Toy2D.EightGaussians(10, seed: 1);
        var batches = ds.Batches(4, seed: 3).ToList();
        Assert.Equal([4L, 4, 2], batches.Select(b => b.x.shape[0]));
        Assert.All(batches, b => Assert.Equal(2L, b.x.shape[1]));
        Assert.Equal([4L, 4], ds.Batches(4, seed: 3, dropLast: true).Select(b => b.y.shape[0]));

        // every sample once, pairs (x, y) kept together
        var seen = new List<(float, long)>();
        foreach (var (x, y) in batches)
        {
            var xs = x.data<float>().ToArray();
            var ys = y.data<long>().ToArray();
            for (int i = 0; i < ys.Length; i++) seen.Add((xs[2 * i], ys[i]));
        }
        var expected = Enumerable.Range(0, 10).Select(i => (ds.Data[2 * i], ds.Labels![i]));
        Assert.Equal(expected.Order(), seen.Order());

        var again = ds.Batches(4, seed: 3).Select(b => b.x.data<float>().ToArray()).SelectMany(a => a);
        Assert.Equal(batches.SelectMany(b => b.x.data<float>().ToArray()), again);
    }

    [Fact]
    public void Unlabelled_sets_batch_inputs_only_and_say_so()
    {
        var ring = Toy2D.Ring(9);
        Assert.Equal([4L, 4, 1], ring.XBatches(4).Select(b => b.shape[0]));
        var e = Assert.Throws<InvalidOperationException>(() => ring.Batches(4).ToList());
        Assert.Contains("XBatches", e.Message);
    }

    [Fact]
    public void Dataset_round_trips_through_tensors()
    {
        var x = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [3L, 2]);
        var y = tensor(new long[] { 0, 1, 0 });
        var ds = Dataset.FromTensors(x, y, "t");
        Assert.Equal([2], ds.SampleShape);
        Assert.Equal([2, 1], ds.LabelCounts());
        Assert.Contains("expected [3]", Assert.Throws<ArgumentException>(() => Dataset.FromTensors(x, tensor(new long[] { 0, 1 }))).Message);
    }

    [Fact]
    public void Grid_chart_and_metrics_accept_tensors()
    {
        var images = Mnist.Test(dataDirectory: TestRepo.MnistDir).Take(4);
        var grid = ImageGrid.From(images.X, images.Y);
        Assert.Equal(4, grid.Count);
        Assert.Equal(ImageGrid.From(images.Data, [4, 1, 28, 28], captions: ["7", "2", "1", "0"]).Png, grid.Png);

        var pts = tensor(new float[] { 0, 0, 1, 1, 2, 0 }, [3L, 2]);
        Assert.Equal(2, Chart.Scatter(pts, tensor(new long[] { 0, 1, 1 })).Traces.Count);
        Assert.Contains("[N, 2]", Assert.Throws<ArgumentException>(() => Chart.Scatter(tensor(new float[] { 1, 2, 3 }))).Message);
        Assert.Equal("heatmap", Chart.Heatmap(tensor(new float[] { 1, 2, 3, 4 }, [2L, 2])).Traces[0].Type);

        var f = tensor(Enumerable.Range(0, 40).Select(i => (float)Math.Sin(i)).ToArray(), [20L, 2]);
        Assert.Equal(0, Metrics.FrechetDistance(f, f), 5);
        Assert.Equal(0.75, Metrics.Roc(tensor(new float[] { 0.1f, 0.4f, 0.35f, 0.8f }), tensor(new long[] { 0, 0, 1, 1 })).Auc, 6);

        var lines = new List<string>();
        var p = new Progress(2, "t", interactive: false, writeLine: lines.Add);
        p.Step(tensor(1.5f));
        p.Step(tensor(2.5f));
        Assert.Equal([1.5, 2.5], p.Losses);
    }
}
