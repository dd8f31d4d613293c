using System.Globalization;
using System.Net;
using System.Text;

namespace Course.Lab;

/// <summary>A snapshot of a training run's progress, as displayed (a bar with loss, speed and time left).</summary>
[TypeFormatterSource(typeof(MimeFormatterSource<ProgressView>), PreferredMimeTypes = ["text/html"])]
public sealed record ProgressView(
    string Name, string Unit, int Step, int Total, double? Loss, IReadOnlyList<(string Name, double Value)> Extras,
    double StepsPerSecond, TimeSpan Elapsed, TimeSpan? Remaining, int? Epoch, int? Epochs, bool Done) : IMimeRenderable
{
    /// <summary>One line: "VAE epoch 3/10 | step 1407/4690 (30%) | loss 101.2 | kl 19.5 | 85.0 steps/s | 0:14 elapsed, ~0:33 left".</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Name);
        if (Epoch is not null) sb.Append($" epoch {Epoch}/{Epochs}");
        if (Epoch is null || Unit != "epoch")
            sb.Append($" | {Unit} {Step}/{Total} ({100.0 * Step / Math.Max(1, Total):0}%)");
        if (Loss is not null) sb.Append(" | loss ").Append(Table.FormatNumber(Loss.Value));
        foreach (var (n, v) in Extras) sb.Append(" | ").Append(n).Append(' ').Append(Table.FormatNumber(v));
        sb.Append(" | ").Append(StepsPerSecond.ToString(StepsPerSecond >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture))
          .Append(' ').Append(Unit).Append("s/s");
        sb.Append(" | ").Append(FormatTime(Elapsed)).Append(" elapsed");
        if (Done) sb.Append(", done");
        else if (Remaining is not null) sb.Append(", ~").Append(FormatTime(Remaining.Value)).Append(" left");
        return sb.ToString();
    }

    public string ToHtml()
    {
        double pct = Math.Clamp(100.0 * Step / Math.Max(1, Total), 0, 100);
        var stats = new List<string>();
        if (Epoch is not null) stats.Add($"epoch {Epoch}/{Epochs}");
        stats.Add($"{Unit} {Step}/{Total}");
        if (Loss is not null) stats.Add($"loss <b>{Table.FormatNumber(Loss.Value)}</b>");
        stats.AddRange(Extras.Select(e => $"{WebUtility.HtmlEncode(e.Name)} {Table.FormatNumber(e.Value)}"));
        stats.Add($"{StepsPerSecond.ToString("0.0", CultureInfo.InvariantCulture)} {Unit}s/s");
        stats.Add(Done ? $"done in {FormatTime(Elapsed)}"
            : $"{FormatTime(Elapsed)} elapsed" + (Remaining is null ? "" : $", ~{FormatTime(Remaining.Value)} left"));
        var color = Done ? "#54a24b" : "#4c78a8";
        return $"<div class=\"course-progress\" style=\"font-family:{HtmlStyle.FontFamily};font-size:13px;margin:4px 0;\">" +
               $"<div><b>{WebUtility.HtmlEncode(Name)}</b> &middot; {string.Join(" &middot; ", stats)}</div>" +
               "<div style=\"background:#ebebeb;border-radius:3px;height:6px;width:360px;max-width:100%;margin-top:4px;\">" +
               $"<div style=\"background:{color};width:{pct.ToString("0.#", CultureInfo.InvariantCulture)}%;height:6px;border-radius:3px;\"></div></div></div>";
    }

    internal static string FormatTime(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{(int)t.TotalMinutes}:{t.Seconds:00}";

    public static IReadOnlyList<string> MimeTypes { get; } = ["text/html", "text/plain"];

    public string Render(string mimeType) => mimeType == "text/html" ? ToHtml() : ToString();
}
