using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Lab.Tests;

/// <summary>
/// The engine's data&lt;T&gt;()/item&lt;T&gt;() are strict (TorchSharp's rule), so every helper that reads a tensor must
/// convert Int64 and Bool itself or say clearly which helper and dtype it refuses.
/// </summary>
public class DtypeTests
{
    private static JsonArray Traces(Plotly.NET.GenericChart c) => ChartTests.Traces(c);

    private static double[] Numbers(JsonNode? array) => ChartTests.Numbers(array);

    [Fact]
    public void Scatter_is_coloured_by_int64_digit_labels()
    {
        var test = Mnist.Test(dataDirectory: TestRepo.MnistDir).Take(300);
        var y = test.Y;
        Assert.Equal(ScalarType.Int64, y.dtype);
        // A 2-D view of each digit: mean ink of the top half and of the bottom half.
        var x = test.X.reshape(300, 784);
        var points = stack([x.narrow(1, 0, 392).mean([1L]), x.narrow(1, 392, 392).mean([1L])], 1);

        var traces = Traces(Plots.ScatterByLabel(points, y));
        var counts = test.LabelCounts();
        Assert.Equal(Enumerable.Range(0, counts.Length).Where(d => counts[d] > 0).Select(d => d.ToString()),
            traces.Select(t => (string)t!["name"]!));
        foreach (var t in traces)
            Assert.Equal(counts[int.Parse((string)t!["name"]!)], t["x"]!.AsArray().Count);
    }

    [Fact]
    public void Scatter_takes_bool_and_whole_float_labels_and_names_fractional_ones()
    {
        var pts = tensor(new float[] { 0, 0, 1, 1, 2, 0, 3, 1 }, [4L, 2]);
        var byBool = Traces(Plots.ScatterByLabel(pts, tensor(new[] { true, false, true, true })));
        Assert.Equal(["0", "1"], byBool.Select(t => (string)t!["name"]!));
        Assert.Equal([0.0, 2, 3], Numbers(byBool[1]!["x"])); // the points labelled true

        var byFloat = Traces(Plots.ScatterByLabel(pts, tensor(new float[] { 2, 0, 2, 1 })));
        Assert.Equal(["0", "1", "2"], byFloat.Select(t => (string)t!["name"]!));

        var e = Assert.Throws<ArgumentException>(() => Plots.ScatterByLabel(pts, tensor(new float[] { 0, 0.5f, 1, 1 })));
        Assert.Contains("Plots.ScatterByLabel", e.Message);
        Assert.Contains("Float32", e.Message);
        Assert.Contains("index 1", e.Message);
    }

    [Fact]
    public void Int64_and_bool_points_scatter_too()
    {
        var pts = tensor(new long[] { 0, 0, 3, 4 }, [2L, 2]);
        var trace = Traces(Plots.ScatterByLabel(pts, tensor(new[] { true, true })))[0]!;
        Assert.Equal([0.0, 3], Numbers(trace["x"]));
        Assert.Equal([0.0, 4], Numbers(trace["y"]));
    }

    [Fact]
    public void Roc_and_precision_recall_take_int64_bool_and_float_labels()
    {
        var scores = tensor(new float[] { 0.1f, 0.4f, 0.35f, 0.8f });
        // The hand-computed case of MetricsTests: AUC 0.75, AP 5/6, whatever the label dtype.
        foreach (var labels in new[] { tensor(new long[] { 0, 0, 1, 1 }), tensor(new[] { false, false, true, true }), tensor(new float[] { 0, 0, 1, 1 }) })
        {
            Assert.Equal(0.75, Metrics.Roc(scores, labels).Auc, 6);
            Assert.Equal(5.0 / 6, Metrics.PrecisionRecall(scores, labels).AveragePrecision, 6);
        }
        // Digit labels with a chosen positive class: 7s score high.
        var digits = tensor(new long[] { 7, 1, 7, 3 });
        var digitScores = tensor(new long[] { 9, 2, 5, 5 });   // int64 scores convert too; the 3 ties the second 7
        var roc = Metrics.Roc(digitScores, digits, positiveLabel: 7);
        // Groups 9 (+), 5 (+,-), 2 (-): (0,0) -> (0,.5) -> (.5,1) -> (1,1), area .5 * (.5 + 1) / 2 + .5 = 0.875.
        Assert.Equal([0, 0, 0.5, 1], roc.FalsePositiveRate);
        Assert.Equal(0.875, roc.Auc, 12);
        // Bool scores are 0/1 predictions: a perfect classifier has AUC 1.
        Assert.Equal(1.0, Metrics.Roc(tensor(new[] { true, false }), tensor(new[] { true, false })).Auc, 12);

        var e = Assert.Throws<ArgumentException>(() => Metrics.Roc(scores, tensor(new float[] { 0, 0.2f, 1, 1 })));
        Assert.Contains("Metrics.Roc", e.Message);
        Assert.Contains("Float32", e.Message);
    }

    [Fact]
    public void Histograms_and_heatmaps_read_int64_and_bool_tensors()
    {
        // The label histogram of int64 MNIST labels: one bar per digit.
        var y = Mnist.Test(dataDirectory: TestRepo.MnistDir).Take(100).Y;
        var labels = Traces(Plots.Histogram(y, bins: 10))[0]!;
        Assert.Equal(100, Numbers(labels["y"]).Sum());
        Assert.Equal(Mnist.Test(dataDirectory: TestRepo.MnistDir).Take(100).LabelCounts().Select(c => (double)c), Numbers(labels["y"]));

        // Every pixel of 200 digits (156,800 values) is binned here into bars that count them all.
        var pixels = Mnist.Test(dataDirectory: TestRepo.MnistDir).Take(200).X;
        var bars = Traces(Plots.Histogram(pixels, bins: 10))[0]!;
        Assert.Equal("bar", (string)bars["type"]!);
        Assert.Equal(156_800, Numbers(bars["y"]).Sum());

        // A causal mask as a picture: bool -> 0/1; int64 as numbers.
        var z = Traces(Plots.Heatmap(tensor(new[] { true, false, true, true }, [2L, 2])))[0]!["z"]!.AsArray();
        Assert.Equal([1.0, 0], Numbers(z[0]));
        Assert.Equal([1.0, 1], Numbers(z[1]));
        Assert.Equal([3.0, 4], Numbers(Traces(Plots.Heatmap(tensor(new long[] { 1, 2, 3, 4 }, [2L, 2])))[0]!["z"]![1]));
    }

    [Fact]
    public void Image_grids_from_bool_images_and_int64_labels()
    {
        var pixels = new float[] { 0, 1, 1, 0, 1, 1, 0, 0 };
        var asBool = tensor(pixels.Select(v => v > 0.5f).ToArray(), [2L, 1, 2, 2]);
        var asFloat = tensor(pixels, [2L, 1, 2, 2]);
        Assert.Equal(ImageGrid.From(asFloat).Png, ImageGrid.From(asBool).Png);

        var labels = ImageGrid.From(asFloat, tensor(new long[] { 3, 8 }));
        Assert.Equal(ImageGrid.From(pixels, [2, 1, 2, 2], captions: ["3", "8"]).Png, labels.Png);
        Assert.Equal(ImageGrid.From(pixels, [2, 1, 2, 2], captions: ["1", "0"]).Png, ImageGrid.From(asFloat, tensor(new[] { true, false })).Png);

        // Int64 byte images with their range.
        var bytes = tensor(new long[] { 0, 255, 255, 0 }, [2L, 2]);
        Assert.Equal(ImageGrid.From(new float[] { 0, 1, 1, 0 }, [2, 2]).Png, ImageGrid.From(bytes, range: (0, 255)).Png);
        var e = Assert.Throws<ArgumentException>(() => ImageGrid.From(asFloat, tensor(new float[] { 0.5f, 1 })));
        Assert.Contains("ImageGrid.From", e.Message);
    }

    [Fact]
    public void Datasets_from_bool_images_and_float_labels()
    {
        var x = tensor(new[] { true, false, false, true }, [2L, 2]);
        var ds = Dataset.FromTensors(x, tensor(new float[] { 1, 0 }));
        Assert.Equal([1f, 0, 0, 1], ds.Data);
        Assert.Equal([1L, 0], ds.Labels!);
        var fromInt = Dataset.FromTensors(tensor(new long[] { 5, 6 }, [2L, 1]), tensor(new[] { true, true }));
        Assert.Equal([5f, 6], fromInt.Data);
        Assert.Equal([1L, 1], fromInt.Labels!);
        var e = Assert.Throws<ArgumentException>(() => Dataset.FromTensors(x, tensor(new float[] { 0.25f, 1 })));
        Assert.Contains("Dataset.FromTensors", e.Message);
        Assert.Contains("0.25", e.Message);
    }

    [Fact]
    public void Frechet_distance_of_int64_features_matches_float_ones()
    {
        var values = Enumerable.Range(0, 40).Select(i => (long)(i * 7 % 11)).ToArray();
        var other = Enumerable.Range(0, 40).Select(i => (long)(i * 5 % 13)).ToArray();
        double expected = Metrics.FrechetDistance(values.Select(v => (float)v).ToArray(), 20, other.Select(v => (float)v).ToArray(), 20, 2);
        Assert.Equal(expected, Metrics.FrechetDistance(tensor(values, [20L, 2]), tensor(other, [20L, 2])), 9);
        Assert.True(expected > 0);
    }

    [Fact]
    public void Progress_takes_float_or_int64_losses_and_names_bool_and_non_scalars()
    {
        var p = new Progress(3, "gan", interactive: false, writeLine: _ => { });
        p.Step(tensor(1.5f));
        p.Step(tensor(2L));
        Assert.Equal([1.5, 2.0], p.Losses);
        var b = Assert.Throws<ArgumentException>(() => p.Step(tensor(true)));
        Assert.Contains("Progress 'gan'.Step", b.Message);
        Assert.Contains("Bool", b.Message);
        var s = Assert.Throws<ArgumentException>(() => p.Step(tensor(new float[] { 1, 2 })));
        Assert.Contains("[2]", s.Message);
        Assert.Contains("one-element", s.Message);
        Assert.Equal(2, p.Count);
    }

    [Fact]
    public void Progress_extras_may_be_tensors_and_a_bad_one_records_nothing()
    {
        var p = new Progress(4, "vae", interactive: false, writeLine: _ => { });
        p.Step(tensor(100f), new { kl = tensor(19.5f), rec = 80.5, active = tensor(7L), note = "text is skipped" });
        Assert.Equal([19.5], p.History("kl"));
        Assert.Equal([80.5], p.History("rec"));
        Assert.Equal([7.0], p.History("active"));
        var e = Assert.Throws<ArgumentException>(() => p.Step(99.0, new { kl = tensor(new float[] { 1, 2 }) }));
        Assert.Contains("extra 'kl'", e.Message);
        Assert.Contains("bare tensor", Assert.Throws<ArgumentException>(() => p.Step(99.0, tensor(1f))).Message);
        Assert.Equal(1, p.Count);            // neither failed step was half-recorded
        Assert.Equal([19.5], p.History("kl"));
    }

    [Fact]
    public void Classifier_accepts_bool_images_and_names_int64_ones()
    {
        var model = new MnistClassifier(seed: 3);
        var images = Mnist.Test(binarized: true, dataDirectory: TestRepo.MnistDir).Take(8).X;
        var asBool = images.gt(0.5);
        Assert.Equal(ScalarType.Bool, asBool.dtype);
        Assert.Equal(model.Features(images).data<float>().ToArray(), model.Features(asBool).data<float>().ToArray());
        var e = Assert.Throws<ArgumentException>(() => model.Predict(images.to(ScalarType.Int64)));
        Assert.Contains("Int64", e.Message);
        Assert.Contains("[8, 1, 28, 28]", e.Message);
    }

    [Fact]
    public void Table_cells_show_one_element_tensors_by_dtype()
    {
        var table = Table.From([new { Loss = tensor(0.125f), Correct = tensor(9876L), Ok = tensor(true), Batch = zeros(2, 3) }]);
        var text = table.ToString();
        Assert.Contains("0.125", text);
        Assert.Contains("9,876", text);
        Assert.Contains("true", text);
        Assert.Contains("tensor [2, 3] Float32", text);
    }
}
