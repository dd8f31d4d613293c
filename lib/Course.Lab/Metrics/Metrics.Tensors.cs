using TorchSharp;

namespace Course.Lab;

// Metrics on tensors.
public static partial class Metrics
{
    /// <summary>Reports a one-element tensor (e.g. a mean test loss) as <see cref="Report(string, double, string?)"/> does.</summary>
    public static void Report(string name, torch.Tensor value, string? unit = null) =>
        Report(name, TensorValues.Scalar(value, $"Metrics.Report(\"{name}\")"), unit);

    /// <summary>Frechet distance between two <c>[N, D]</c> feature tensors.</summary>
    public static double FrechetDistance(torch.Tensor features1, torch.Tensor features2)
    {
        var (s1, s2) = (features1.shape, features2.shape);
        if (s1.Length != 2 || s2.Length != 2 || s1[1] != s2[1])
            throw new ArgumentException(
                $"FrechetDistance: features must be [N, D] with the same D, got [{string.Join(", ", s1)}] and [{string.Join(", ", s2)}].");
        return FrechetDistance(TensorValues.Floats(features1, "FrechetDistance"), (int)s1[0], TensorValues.Floats(features2, "FrechetDistance"), (int)s2[0], (int)s1[1]);
    }

    /// <summary>
    /// The classifier Frechet distance: <see cref="FrechetDistance(torch.Tensor, torch.Tensor)"/> between the
    /// classifier's 128 penultimate features of two image sets <c>[N,1,28,28]</c> in [0,1] (FID with an MNIST judge).
    /// </summary>
    public static double FrechetDistance(MnistClassifier classifier, torch.Tensor imagesA, torch.Tensor imagesB)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        return FrechetDistance(classifier.Features(imagesA), classifier.Features(imagesB));
    }

    /// <summary>
    /// ROC from a <c>[N]</c> score tensor (float32, int64 or bool) and a <c>[N]</c> label tensor: int64 (positive =
    /// <paramref name="positiveLabel"/>), bool (true = positive) or whole-valued float32.
    /// </summary>
    public static RocCurve Roc(torch.Tensor scores, torch.Tensor labels, long positiveLabel = 1) =>
        Roc(TensorValues.Doubles(scores, "Metrics.Roc"), TensorValues.Labels(labels, "Metrics.Roc"), positiveLabel);

    /// <summary>Precision-recall from tensors; labels as for <see cref="Roc(torch.Tensor, torch.Tensor, long)"/>.</summary>
    public static PrecisionRecallCurve PrecisionRecall(torch.Tensor scores, torch.Tensor labels, long positiveLabel = 1) =>
        PrecisionRecall(TensorValues.Doubles(scores, "Metrics.PrecisionRecall"), TensorValues.Labels(labels, "Metrics.PrecisionRecall"), positiveLabel);
}
