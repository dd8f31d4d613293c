using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Course.Lab.Tests;

/// <summary>One short training run (a few hundred steps on a subset) shared by the classifier tests.</summary>
public sealed class ShortClassifierFixture
{
    public ShortClassifierFixture()
    {
        Train = Mnist.Train(dataDirectory: TestRepo.MnistDir).Take(12_000);
        Test = Mnist.Test(dataDirectory: TestRepo.MnistDir).Take(2_000);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Classifier = MnistClassifier.Train(Train, steps: 300, batchSize: 64, seed: 1, showProgress: false);
        Seconds = clock.Elapsed.TotalSeconds;
    }

    public Dataset Train { get; }
    public Dataset Test { get; }
    public MnistClassifier Classifier { get; }
    public double Seconds { get; }
}

public class MnistClassifierTests(ShortClassifierFixture fx, ITestOutputHelper output) : IClassFixture<ShortClassifierFixture>
{
    [Fact]
    public void A_short_training_classifies_well_above_chance()
    {
        double acc = fx.Classifier.Accuracy(fx.Test);
        output.WriteLine($"300 steps of 64 in {fx.Seconds:F1} s: test accuracy {acc:P2} on {fx.Test.Count}");
        Assert.True(acc > 0.90, $"accuracy {acc:P2} after 300 steps");
        Assert.Equal(300, fx.Classifier.Report!.Steps);
        Assert.True(double.IsFinite(fx.Classifier.Report.FinalLoss) && fx.Classifier.Report.FinalLoss < 1.0);
    }

    [Fact]
    public void Features_and_predictions_have_the_documented_shapes()
    {
        var x = fx.Test.Take(1500).X;
        var f = fx.Classifier.Features(x, batchSize: 1000); // two batches, concatenated in order
        Assert.Equal([1500L, 128], f.shape);
        Assert.True(f.data<float>().ToArray().All(v => v >= 0), "features are post-ReLU");
        var p = fx.Classifier.Predict(x);
        Assert.Equal([1500L], p.shape);
        Assert.Equal(ScalarType.Int64, p.dtype);
        // batching does not change the answer; flat [N,784] input works too
        var whole = fx.Classifier.Features(x.reshape(1500, 784), batchSize: 5000);
        Assert.Equal(f.data<float>().ToArray(), whole.data<float>().ToArray());
        Assert.False(f.requires_grad);
    }

    [Fact]
    public void Frechet_distance_is_zero_on_itself_and_larger_for_noise_than_for_other_digits()
    {
        var a = fx.Test.Take(1000).X;
        var b = fx.Test.Subset(Enumerable.Range(1000, 1000).ToArray()).X;
        var noise = torch.rand([1000, 1, 28, 28], generator: new Generator(3));
        double self = Metrics.FrechetDistance(fx.Classifier, a, a);
        double real = Metrics.FrechetDistance(fx.Classifier, a, b);
        double fake = Metrics.FrechetDistance(fx.Classifier, a, noise);
        output.WriteLine($"self {self:G4}, real vs real {real:G4}, real vs noise {fake:G4}");
        Assert.True(Math.Abs(self) < 1e-6 * Math.Max(1, real), $"self distance {self}");
        Assert.True(real > 0);
        Assert.True(fake > 10 * real, $"noise {fake} vs real {real}");
    }

    [Fact]
    public void Save_and_load_round_trip_the_weights()
    {
        var dir = TestRepo.TempDir("classifier");
        try
        {
            var path = Path.Combine(dir, "sub", MnistClassifier.CacheFileName(1, 64, 1e-3, 1, false));
            Assert.EndsWith("mnist-classifier-e1-b64-lr0.001-seed1.dat", path);
            fx.Classifier.Save(path);
            var loaded = MnistClassifier.Load(path);
            var x = fx.Test.Take(200).X;
            Assert.Equal(fx.Classifier.Features(x).data<float>().ToArray(), loaded.Features(x).data<float>().ToArray());
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp*"));
            var missing = Assert.Throws<FileNotFoundException>(() => MnistClassifier.Load(Path.Combine(dir, "none.dat")));
            Assert.Contains("none.dat", missing.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Same_seed_gives_the_same_weights_and_bad_shapes_are_named()
    {
        var x = fx.Test.Take(8).X;
        Assert.Equal(new MnistClassifier(7).forward(x).data<float>().ToArray(), new MnistClassifier(7).forward(x).data<float>().ToArray());
        Assert.NotEqual(new MnistClassifier(7).forward(x).data<float>().ToArray(), new MnistClassifier(8).forward(x).data<float>().ToArray());
        var e = Assert.Throws<ArgumentException>(() => fx.Classifier.Features(torch.zeros(4, 3, 28, 28)));
        Assert.Contains("[4, 3, 28, 28]", e.Message);
        var d = Assert.Throws<ArgumentException>(() => Metrics.FrechetDistance(fx.Classifier, x, torch.zeros(4, 1, 14, 14)));
        Assert.Contains("[4, 1, 14, 14]", d.Message);
    }

    [Fact]
    public void Cache_directory_is_under_the_repository_artifacts()
    {
        var dir = MnistClassifier.CacheDirectory(from: Path.Combine(TestRepo.Root, "notebooks"));
        Assert.Equal(Path.Combine(TestRepo.Root, "artifacts", "cache"), dir);
        var outside = TestRepo.TempDir("nocache");
        try { Assert.Equal(Path.Combine(Path.GetTempPath(), "course-cache"), MnistClassifier.CacheDirectory(from: outside)); }
        finally { Directory.Delete(outside); }
        Assert.Equal("mnist-classifier-e2-b128-lr0.005-seed0-bin.dat",
            MnistClassifier.CacheFileName(MnistClassifier.DefaultEpochs, MnistClassifier.DefaultBatchSize, MnistClassifier.DefaultLearningRate, 0, binarized: true));
    }
}

public class SampleQualityTests(ShortClassifierFixture fx) : IClassFixture<ShortClassifierFixture>
{
    [Fact]
    public void Real_images_score_near_the_reference_and_one_digit_scores_zero_entropy()
    {
        var judge = new SampleQuality(fx.Classifier, fx.Test.Take(1000).X);
        var real = judge.Score("other test images", fx.Test.Subset(Enumerable.Range(1000, 1000).ToArray()).X);
        Assert.Equal(1000, real.Count);
        Assert.Equal(1000, real.ClassCounts.Sum());
        Assert.InRange(real.ClassEntropyNats, 2.2, Math.Log(10));
        Assert.Empty(real.MissingDigits);
        Assert.True(real.ConfidentFraction > 0.7, $"confident {real.ConfidentFraction}");

        var sevens = fx.Test.Digits(7);
        var one = judge.Score("sevens", sevens.X);
        Assert.True(one.ClassCounts[7] > 0.9 * sevens.Count);
        Assert.True(one.ClassEntropyNats < 0.5, $"entropy {one.ClassEntropyNats}");
        Assert.True(one.MissingDigits.Length >= 5);

        var noise = judge.Score("noise", torch.rand([500, 1, 28, 28], generator: new Generator(5)));
        Assert.True(noise.FrechetDistance > one.FrechetDistance && one.FrechetDistance > real.FrechetDistance,
            $"FD noise {noise.FrechetDistance}, sevens {one.FrechetDistance}, real {real.FrechetDistance}");

        var chart = SampleQuality.ClassChart([real, one, noise]);
        Assert.Contains("\"barmode\":\"group\"", Plotly.NET.GenericChart.toJson(chart));
        Assert.Throws<ArgumentException>(() => judge.Score("one image", fx.Test.Take(1).X));
    }
}

