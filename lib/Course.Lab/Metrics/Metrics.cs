namespace Course.Lab;

/// <summary>Evaluation helpers: reported metrics, bits per dimension, ROC and precision-recall, Frechet distance.</summary>
public static partial class Metrics
{
    /// <summary>
    /// Reports a named value: shown as a badge through the host's display hook (which also records it in the run
    /// summary), or printed as a line when there is no host.
    /// </summary>
    public static void Report(string name, double value, string? unit = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("Metrics.Report needs a metric name.", nameof(name));
        Display.Show(new Metric(name, value, unit));
    }

    /// <summary>Negative log-likelihood per image in nats to bits per dimension: nats / (dims · ln 2).</summary>
    public static double BitsPerDim(double nats, int dims)
    {
        if (dims <= 0) throw new ArgumentOutOfRangeException(nameof(dims), $"BitsPerDim: dims must be positive, got {dims}.");
        return nats / (dims * Math.Log(2));
    }
}
