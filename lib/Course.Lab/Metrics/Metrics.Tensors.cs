using Course.Torch;

namespace Course.Lab;

// Metrics on tensors.
public static partial class Metrics
{
    /// <summary>Frechet distance between two <c>[N, D]</c> feature tensors.</summary>
    public static double FrechetDistance(torch.Tensor features1, torch.Tensor features2)
    {
        var (s1, s2) = (features1.shape, features2.shape);
        if (s1.Length != 2 || s2.Length != 2 || s1[1] != s2[1])
            throw new ArgumentException(
                $"FrechetDistance: features must be [N, D] with the same D, got [{string.Join(", ", s1)}] and [{string.Join(", ", s2)}].");
        return FrechetDistance(features1.data<float>().ToArray(), (int)s1[0], features2.data<float>().ToArray(), (int)s2[0], (int)s1[1]);
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

    /// <summary>ROC from a <c>[N]</c> score tensor and a <c>[N]</c> label tensor (positive = <paramref name="positiveLabel"/>).</summary>
    public static RocCurve Roc(torch.Tensor scores, torch.Tensor labels, long positiveLabel = 1) =>
        Roc(Array.ConvertAll(scores.data<float>().ToArray(), v => (double)v), labels.data<long>().ToArray(), positiveLabel);

    public static PrecisionRecallCurve PrecisionRecall(torch.Tensor scores, torch.Tensor labels, long positiveLabel = 1) =>
        PrecisionRecall(Array.ConvertAll(scores.data<float>().ToArray(), v => (double)v), labels.data<long>().ToArray(), positiveLabel);
}
