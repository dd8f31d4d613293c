using System.Runtime.CompilerServices;
using Plotly.NET;
using PlotlyChart = Plotly.NET.CSharp.Chart;

namespace Course.Lab;

/// <summary>A ROC curve: false and true positive rates at each distinct score threshold, with its area.</summary>
public sealed record RocCurve(double[] FalsePositiveRate, double[] TruePositiveRate, double[] Thresholds, double Auc)
{
    /// <summary>The curve against the chance diagonal, on the unit square.</summary>
    public GenericChart Chart(string? name = null) =>
        PlotlyChart.Combine([
            PlotlyChart.Line<double, double, string>(FalsePositiveRate, TruePositiveRate, Name: name ?? $"AUC {Auc:0.###}"),
            PlotlyChart.Line<double, double, string>([0.0, 1.0], [0.0, 1.0], Name: "chance", LineColor: Color.fromHex("#9a9a9a"),
                LineWidth: 1, LineDash: StyleParam.DrawingStyle.Dash),
        ]).WithTitles($"ROC curve (AUC = {Auc:0.###})", "false positive rate", "true positive rate", UnitRange);

    internal static readonly Tuple<double, double> UnitRange = Tuple.Create(-0.01, 1.01);
}

/// <summary>A precision-recall curve (recall increasing) with average precision.</summary>
public sealed record PrecisionRecallCurve(double[] Precision, double[] Recall, double[] Thresholds, double AveragePrecision)
{
    /// <summary>Precision against recall, on the unit square.</summary>
    public GenericChart Chart(string? name = null) =>
        PlotlyChart.Line<double, double, string>(Recall, Precision, Name: name ?? $"AP {AveragePrecision:0.###}")
            .WithTitles($"Precision-recall (AP = {AveragePrecision:0.###})", "recall", "precision", RocCurve.UnitRange);
}

public static partial class Metrics
{
    /// <summary>
    /// ROC of <paramref name="scores"/> (higher = more positive). Samples with equal scores enter together, so ties
    /// give a diagonal segment; AUC is the trapezoid area, which counts a tied positive/negative pair as one half.
    /// </summary>
    [OverloadResolutionPriority(1)]
    public static RocCurve Roc(IReadOnlyList<double> scores, IReadOnlyList<bool> isPositive)
    {
        var (positives, negatives, groups) = Rank(scores, isPositive, "Metrics.Roc");
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        var thresholds = new List<double> { double.PositiveInfinity };
        double tp = 0, fp = 0, auc = 0;
        foreach (var (threshold, pos, neg) in groups)
        {
            double prevF = fp / negatives, prevT = tp / positives;
            tp += pos;
            fp += neg;
            double f = fp / negatives, t = tp / positives;
            auc += (f - prevF) * (t + prevT) / 2;
            fpr.Add(f);
            tpr.Add(t);
            thresholds.Add(threshold);
        }
        return new RocCurve(fpr.ToArray(), tpr.ToArray(), thresholds.ToArray(), auc);
    }

    /// <summary>ROC with integer labels; <paramref name="positiveLabel"/> marks the positive class.</summary>
    [OverloadResolutionPriority(1)]
    public static RocCurve Roc(IReadOnlyList<double> scores, IReadOnlyList<long> labels, long positiveLabel = 1) =>
        Roc(scores, labels.Select(l => l == positiveLabel).ToArray());

    /// <summary>
    /// Precision and recall at each distinct threshold, starting from (recall 0, precision 1). Average precision is
    /// sum over thresholds of (R_k - R_(k-1)) P_k, the step-wise area that does not interpolate optimistically.
    /// </summary>
    [OverloadResolutionPriority(1)]
    public static PrecisionRecallCurve PrecisionRecall(IReadOnlyList<double> scores, IReadOnlyList<bool> isPositive)
    {
        var (positives, _, groups) = Rank(scores, isPositive, "Metrics.PrecisionRecall");
        var precision = new List<double> { 1 };
        var recall = new List<double> { 0 };
        var thresholds = new List<double> { double.PositiveInfinity };
        double tp = 0, fp = 0, ap = 0;
        foreach (var (threshold, pos, neg) in groups)
        {
            double prevR = tp / positives;
            tp += pos;
            fp += neg;
            double p = tp / (tp + fp), r = tp / positives;
            ap += (r - prevR) * p;
            precision.Add(p);
            recall.Add(r);
            thresholds.Add(threshold);
        }
        return new PrecisionRecallCurve(precision.ToArray(), recall.ToArray(), thresholds.ToArray(), ap);
    }

    [OverloadResolutionPriority(1)]
    public static PrecisionRecallCurve PrecisionRecall(IReadOnlyList<double> scores, IReadOnlyList<long> labels, long positiveLabel = 1) =>
        PrecisionRecall(scores, labels.Select(l => l == positiveLabel).ToArray());

    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> isPositive) => Roc(scores, isPositive).Auc;

    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> isPositive) =>
        PrecisionRecall(scores, isPositive).AveragePrecision;

    /// <summary>Groups samples by distinct score, highest first, counting positives and negatives in each group.</summary>
    private static (double Positives, double Negatives, List<(double Threshold, int Pos, int Neg)> Groups) Rank(
        IReadOnlyList<double> scores, IReadOnlyList<bool> isPositive, string op)
    {
        if (scores.Count != isPositive.Count)
            throw new ArgumentException($"{op}: {scores.Count} scores but {isPositive.Count} labels.");
        for (int i = 0; i < scores.Count; i++)
            if (double.IsNaN(scores[i])) throw new ArgumentException($"{op}: score {i} is NaN.");
        int positives = isPositive.Count(p => p), negatives = isPositive.Count - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException($"{op}: needs both classes, got {positives} positive and {negatives} negative samples.");
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var groups = new List<(double, int, int)>();
        for (int k = 0; k < order.Length;)
        {
            double s = scores[order[k]];
            int pos = 0, neg = 0;
            for (; k < order.Length && scores[order[k]] == s; k++)
                if (isPositive[order[k]]) pos++; else neg++;
            groups.Add((s, pos, neg));
        }
        return (positives, negatives, groups);
    }
}
