using System.Collections;
using System.Diagnostics;
using System.Reflection;
using Plotly.NET;
using PlotlyChart = Plotly.NET.CSharp.Chart;

namespace Course.Lab;

/// <summary>
/// Training progress: call <see cref="Step"/> once per step (or per epoch with unit "epoch"). Headless, it prints one
/// line per epoch (or per tenth of the run when there are no epochs) with the mean loss over that stretch; in an
/// interactive session it keeps one live display updated a few times per second. <see cref="Chart"/> draws the loss
/// history, smoothed over raw.
/// </summary>
public sealed class Progress
{
    private const double UpdateIntervalSeconds = 0.25;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<double> _losses = [];
    private readonly Dictionary<string, List<double>> _extras = [];
    private readonly List<string> _extraOrder = [];
    private readonly int _period;
    private readonly bool _interactive;
    private readonly Action<string> _writeLine;
    private string? _displayId;
    private double _lastUpdate = double.NegativeInfinity;
    private int _periodStart;
    private bool _finished;

    /// <param name="total">Steps (or epochs, with <paramref name="unit"/> "epoch") in the whole run.</param>
    /// <param name="name">Shown at the start of each line, e.g. "VAE".</param>
    /// <param name="stepsPerEpoch">Steps in one epoch: headless output prints once per epoch.</param>
    /// <param name="unit">What one call to <see cref="Step"/> is: "step" or "epoch".</param>
    /// <param name="interactive">Override the session's <c>Course.Interactive</c> setting.</param>
    /// <param name="writeLine">Where headless lines go (default: the console).</param>
    public Progress(int total, string name = "training", int? stepsPerEpoch = null, string unit = "step",
        bool? interactive = null, Action<string>? writeLine = null)
    {
        if (total <= 0) throw new ArgumentOutOfRangeException(nameof(total), $"Progress '{name}': total must be positive, got {total}.");
        if (stepsPerEpoch is <= 0)
            throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), $"Progress '{name}': stepsPerEpoch must be positive.");
        Total = total;
        Name = name;
        StepsPerEpoch = stepsPerEpoch;
        Unit = unit;
        _period = stepsPerEpoch ?? (unit == "epoch" ? 1 : Math.Max(1, (int)Math.Ceiling(total / 10.0)));
        _interactive = (interactive ?? Display.IsInteractive) && Display.CanUpdateInPlace;
        _writeLine = writeLine ?? Console.WriteLine;
    }

    public int Total { get; }
    public string Name { get; }
    public int? StepsPerEpoch { get; }
    public string Unit { get; }

    /// <summary>Steps taken so far.</summary>
    public int Count => _losses.Count;

    /// <summary>Every loss passed to <see cref="Step"/>, in order.</summary>
    public IReadOnlyList<double> Losses => _losses;

    /// <summary>The history of an extra value (e.g. "kl"), one entry per step that reported it.</summary>
    public IReadOnlyList<double> History(string name) =>
        _extras.TryGetValue(name, out var h) ? h : throw new KeyNotFoundException($"Progress '{Name}' has no value named '{name}'.");

    public TimeSpan Elapsed => _clock.Elapsed;

    public double StepsPerSecond => Count == 0 ? 0 : Count / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);

    public TimeSpan? Remaining => Count == 0 ? null : TimeSpan.FromSeconds(Math.Max(0, Total - Count) / Math.Max(StepsPerSecond, 1e-9));

    /// <summary>
    /// Records one step. <paramref name="extra"/> adds named values: an anonymous object (<c>new { kl, rec }</c>),
    /// a dictionary of names to numbers, or (name, value) tuples.
    /// </summary>
    public void Step(double loss, object? extra = null)
    {
        if (!double.IsFinite(loss))
            throw new ArithmeticException($"Progress '{Name}': loss is {loss} at {Unit} {Count + 1}; training diverged.");
        var extras = ReadExtras(extra, Name).ToList(); // read first: a bad extra must not leave the loss half-recorded
        _losses.Add(loss);
        foreach (var (n, v) in extras)
        {
            if (!_extras.TryGetValue(n, out var list))
            {
                _extras[n] = list = [];
                _extraOrder.Add(n);
            }
            list.Add(v);
        }

        bool last = Count == Total;
        if (_interactive)
        {
            double now = _clock.Elapsed.TotalSeconds;
            if (_displayId is null || last || now - _lastUpdate >= UpdateIntervalSeconds)
            {
                bool update = _displayId is not null;
                _displayId ??= Display.NewId();
                Display.Show(Snapshot(_losses.Count - 1, _losses.Count, last), _displayId, update);
                _lastUpdate = now;
            }
        }
        else if (Count % _period == 0 || last)
        {
            _writeLine(Snapshot(_periodStart, Count, last).ToString());
            _periodStart = Count;
        }
    }

    /// <summary>Records one step with the loss as a one-element tensor (float32 or int64; bool is rejected).</summary>
    public void Step(TorchSharp.torch.Tensor loss, object? extra = null) => Step(TensorValues.Scalar(loss, $"Progress '{Name}'.Step"), extra);

    /// <summary>Ends a run that stopped before <see cref="Total"/> (e.g. early stopping): prints or shows the final state.</summary>
    public void Done()
    {
        if (Count == Total || Count == 0 || _finished) return;
        _finished = true;
        int from = _periodStart < Count ? _periodStart : Count - 1;
        if (_interactive && _displayId is not null) Display.Show(Snapshot(Count - 1, Count, true), _displayId, true);
        else if (!_interactive) _writeLine(Snapshot(from, Count, true).ToString());
        _periodStart = Count;
    }

    /// <summary>The state now; the loss and extras are means over steps [from, to).</summary>
    public ProgressView Snapshot(int from, int to, bool done)
    {
        double? Mean(IReadOnlyList<double> values)
        {
            int lo = Math.Max(0, from - (Count - values.Count)), hi = values.Count;
            return hi > lo ? values.Skip(lo).Take(hi - lo).Average() : null;
        }
        var loss = to > from ? _losses.Skip(from).Take(to - from).Average() : (double?)null;
        var extras = _extraOrder.Select(n => (n, Mean(_extras[n]))).Where(e => e.Item2 is not null)
            .Select(e => (e.n, e.Item2!.Value)).ToList();
        int? epoch = StepsPerEpoch is { } spe ? (Count + spe - 1) / spe : Unit == "epoch" ? Count : null;
        int? epochs = StepsPerEpoch is { } s ? (Total + s - 1) / s : Unit == "epoch" ? Total : null;
        return new ProgressView(Name, Unit, Count, Total, loss, extras, StepsPerSecond, Elapsed,
            done ? TimeSpan.Zero : Remaining, epoch, epochs, done);
    }

    /// <summary>The loss history: raw values faint, an exponential moving average on top.</summary>
    public GenericChart Chart(bool logY = false)
    {
        var steps = Enumerable.Range(1, Count).ToArray();
        return PlotlyChart.Combine([
            PlotlyChart.Line<int, double, string>(steps, _losses, Name: "loss", LineColor: Color.fromString("rgba(76,120,168,0.3)"), LineWidth: 1),
            PlotlyChart.Line<int, double, string>(steps, Smooth(_losses), Name: "smoothed", LineColor: Color.fromHex("#4c78a8"), LineWidth: 2.5),
        ]).WithTitles($"{Name}: training loss", Unit, "loss", logY: logY);
    }

    /// <summary>Exponential moving average with a span of about 2% of the run, bias-corrected at the start.</summary>
    public static double[] Smooth(IReadOnlyList<double> values, double? span = null)
    {
        double alpha = 2.0 / ((span ?? Math.Max(2, values.Count / 50.0)) + 1);
        var result = new double[values.Count];
        double avg = 0, weight = 0;
        for (int i = 0; i < values.Count; i++)
        {
            avg = (1 - alpha) * avg + alpha * values[i];
            weight = (1 - alpha) * weight + alpha;
            result[i] = avg / weight;
        }
        return result;
    }

    private static IEnumerable<(string, double)> ReadExtras(object? extra, string name)
    {
        switch (extra)
        {
            case null:
                yield break;
            case TorchSharp.torch.Tensor:
                throw new ArgumentException($"Progress '{name}'.Step: extra must name its values, e.g. new {{ kl, rec }}, not a bare tensor.");
            case IEnumerable<KeyValuePair<string, double>> dict:
                foreach (var (k, v) in dict) yield return (k, v);
                yield break;
            case IEnumerable<(string, double)> tuples:
                foreach (var t in tuples) yield return t;
                yield break;
            case IEnumerable:
                throw new ArgumentException("Progress.Step: extra must be an object with numeric properties, a dictionary or (name, value) tuples.");
            default:
                foreach (var p in extra.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    var v = p.GetValue(extra);
                    if (v is TorchSharp.torch.Tensor t)   // new { kl } with kl a one-element tensor
                        yield return (p.Name, TensorValues.Scalar(t, $"Progress '{name}'.Step extra '{p.Name}'"));
                    else if (v is IConvertible c && v is not string and not bool)
                        yield return (p.Name, c.ToDouble(System.Globalization.CultureInfo.InvariantCulture));
                }
                yield break;
        }
    }
}
