using Plotly.NET;
using Plotly.NET.CSharp;
using static TorchSharp.torch;
using PlotlyChart = Plotly.NET.CSharp.Chart;

namespace Course.Lab;

/// <summary>
/// How an MNIST classifier sees one set of images: which digits it calls them, how sure it is, and how far their
/// features sit from real test images. This is how the course judges a generator that gives no likelihood.
/// </summary>
/// <param name="Name">What the images are (a model's name, or "test images").</param>
/// <param name="Count">Number of images judged.</param>
/// <param name="ClassCounts">How many images the classifier labels 0, 1, ..., 9.</param>
/// <param name="ClassEntropyNats">Entropy of the class histogram: ln 10 = 2.303 when every digit is equally common, 0 when all are one digit.</param>
/// <param name="ConfidentFraction">Share of images whose top class probability is at least the judge's confidence threshold.</param>
/// <param name="FrechetDistance">Frechet distance between the images' and the reference images' classifier features.</param>
public sealed record SampleScore(string Name, int Count, long[] ClassCounts, double ClassEntropyNats, double ConfidentFraction, double FrechetDistance)
{
    /// <summary>Digits that received no image at all.</summary>
    public int[] MissingDigits => Enumerable.Range(0, ClassCounts.Length).Where(d => ClassCounts[d] == 0).ToArray();
}

/// <summary>
/// Judges sets of generated MNIST images against one reference set (usually the test images), whose classifier
/// features are computed once: <c>var judge = new SampleQuality(MnistClassifier.Pretrained(), Mnist.Test().X);</c>
/// then <c>judge.Score("GAN", samples)</c> per model, <c>Table.From(scores)</c> and <see cref="ClassChart"/> to compare.
/// </summary>
public sealed class SampleQuality
{
    private readonly Tensor referenceFeatures;

    /// <param name="classifier">The judge (see <see cref="MnistClassifier.Pretrained"/>).</param>
    /// <param name="reference">Real images <c>[N,1,28,28]</c> (or [N,784]) in [0,1]: the target of the Frechet distance.</param>
    /// <param name="confidence">Top-class probability at or above which an image counts as confidently classified.</param>
    public SampleQuality(MnistClassifier classifier, Tensor reference, double confidence = 0.9)
    {
        Classifier = classifier ?? throw new ArgumentNullException(nameof(classifier));
        if (confidence is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(confidence), $"SampleQuality: confidence must be in (0, 1], got {confidence}.");
        Confidence = confidence;
        if (reference.shape[0] < 2)
            throw new ArgumentException($"SampleQuality: the reference set needs at least 2 images for a covariance, got {reference.shape[0]}.");
        // Kept outside any caller's dispose scope: the judge lives as long as the notebook.
        referenceFeatures = classifier.Features(reference).DetachFromDisposeScope();
        ReferenceCount = (int)reference.shape[0];
    }

    public MnistClassifier Classifier { get; }
    public double Confidence { get; }
    public int ReferenceCount { get; }

    /// <summary>Scores <paramref name="images"/> (float32 in [0,1] or bool, MNIST-shaped; at least 2).</summary>
    public SampleScore Score(string name, Tensor images)
    {
        long n = images.shape.Length > 0 ? images.shape[0] : 0;
        if (n < 2) throw new ArgumentException($"SampleQuality.Score(\"{name}\"): needs at least 2 images, got {n}.");
        using var scope = NewDisposeScope();
        var features = Classifier.Features(images);
        var probabilities = Classifier.Probabilities(images);
        var predicted = probabilities.argmax(1).data<long>().ToArray();
        var top = probabilities.max(1).values.data<float>().ToArray();
        var counts = new long[10];
        foreach (var d in predicted) counts[d]++;
        double entropy = 0;
        foreach (var c in counts)
            if (c > 0) { double p = (double)c / n; entropy -= p * Math.Log(p); }
        double confident = top.Count(p => p >= Confidence) / (double)n;
        double fd = Metrics.FrechetDistance(features, referenceFeatures);
        return new SampleScore(name, (int)n, counts, entropy, confident, fd);
    }

    /// <summary>The class histograms of several scores as grouped bars (share of each set's images per digit).</summary>
    public static GenericChart ClassChart(IEnumerable<SampleScore> scores, string title = "What the classifier calls the images")
    {
        var list = scores.ToList();
        if (list.Count == 0) throw new ArgumentException("SampleQuality.ClassChart: no scores given.");
        var digits = Enumerable.Range(0, 10).Select(d => d.ToString()).ToArray();
        var bars = list.Select(s => PlotlyChart.Column<double, string, string>(
            s.ClassCounts.Select(c => (double)c / s.Count).ToArray(), digits, Name: s.Name)).ToArray();
        return PlotlyChart.Combine(bars)
            .WithXAxisStyle<double, double, string>(TitleText: "predicted digit")
            .WithYAxisStyle<double, double, string>(TitleText: "share of images")
            .WithLayoutAttribute("barmode", "group")
            .WithTitle(title)
            .WithSize(820, 360);
    }
}
