using TorchSharp;
using static TorchSharp.torch;

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
        // Batches are freed when the loop moves on, so read each one inside the loop.
        List<(float[] x, long[] y)> Read(IEnumerable<(Tensor x, Tensor y)> batches) =>
            batches.Select(b => (b.x.data<float>().ToArray(), b.y.data<long>().ToArray())).ToList();
        var batches = Read(ds.Batches(4, seed: 3));
        Assert.Equal([4, 4, 2], batches.Select(b => b.y.Length));
        Assert.All(batches, b => Assert.Equal(2 * b.y.Length, b.x.Length));
        Assert.Equal([4, 4], Read(ds.Batches(4, seed: 3, dropLast: true)).Select(b => b.y.Length));

        // every sample once, pairs (x, y) kept together
        var seen = batches.SelectMany(b => b.y.Select((label, i) => (b.x[2 * i], label))).ToList();
        var expected = Enumerable.Range(0, 10).Select(i => (ds.Data[2 * i], ds.Labels![i]));
        Assert.Equal(expected.Order(), seen.Order());

        var again = Read(ds.Batches(4, seed: 3)).SelectMany(b => b.x);
        Assert.Equal(batches.SelectMany(b => b.x), again);
    }

    [Fact]
    public void A_batch_is_freed_when_the_loop_moves_on_and_a_clone_survives()
    {
        var ds = Toy2D.EightGaussians(8, seed: 1);
        Tensor? previous = null, kept = null;
        foreach (var (x, _) in ds.Batches(4, shuffle: false))
        {
            if (previous is not null) Assert.True(previous.IsInvalid, "the previous batch should be disposed by now");
            Assert.False(x.IsInvalid);
            previous = x;
            kept ??= x.clone();
        }
        Assert.True(previous!.IsInvalid, "the last batch is disposed when the loop ends");
        Assert.Equal(ds.Data[..8], kept!.data<float>().ToArray());

        // Opening a dispose scope per step (as training loops do) neither frees the batch early nor keeps it.
        foreach (var x in ds.XBatches(4, shuffle: false))
        {
            using (NewDisposeScope()) { var y = x * 2; }
            Assert.False(x.IsInvalid);
        }
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
        Assert.Equal(2, ChartTests.Traces(Plots.ScatterByLabel(pts, tensor(new long[] { 0, 1, 1 }))).Count);
        Assert.Equal("heatmap", (string)ChartTests.Traces(Plots.Heatmap(tensor(new float[] { 1, 2, 3, 4 }, [2L, 2])))[0]!["type"]!);

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
