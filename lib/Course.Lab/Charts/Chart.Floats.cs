using System.Runtime.CompilerServices;
using System.Globalization;

namespace Course.Lab;

// float overloads: tensors and losses are float32, so notebooks often hold float[] or List<float>.
public sealed partial class Chart
{
    // The double nearest the float's shortest decimal form, so 0.1f is written as 0.1, not 0.10000000149011612.
    private static IEnumerable<double> D(IEnumerable<float> values) =>
        values.Select(v => float.IsFinite(v) ? double.Parse(v.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : v);

    [OverloadResolutionPriority(1)]
    public static Chart Line(IEnumerable<float> y, string? name = null, string? color = null) => Line(D(y), name, color);

    [OverloadResolutionPriority(1)]
    public static Chart Line(IEnumerable<float> x, IEnumerable<float> y, string? name = null, string? color = null,
        double? width = null, string? dash = null, bool markers = false) => Line(D(x), D(y), name, color, width, dash, markers);

    [OverloadResolutionPriority(1)]
    public static Chart Scatter(IEnumerable<float> x, IEnumerable<float> y, string? name = null, string? color = null,
        double size = 5, double opacity = 0.8) => Scatter(D(x), D(y), name, color, size, opacity);

    [OverloadResolutionPriority(1)]
    public static Chart Histogram(IEnumerable<float> values, int? bins = null, string? name = null, string? color = null,
        bool density = false, double opacity = 0.75) =>
        Histogram(values.Select(v => (double)v).ToArray(), bins, name, color, density, opacity);
}
