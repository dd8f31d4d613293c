using System.Net;
using System.Text.Json.Nodes;

namespace Course.Lab;

/// <summary>
/// A named number a notebook reports (test NELBO, bits/dim, AUC, ...). Displays as a small badge and as
/// <c>application/vnd.course.metric+json</c>, which the runner collects into its run summary.
/// </summary>
[TypeFormatterSource(typeof(MimeFormatterSource<Metric>), PreferredMimeTypes = ["text/html", MetricMimeType])]
public sealed record Metric(string Name, double Value, string? Unit = null) : IMimeRenderable
{
    public const string MetricMimeType = "application/vnd.course.metric+json";

    /// <summary><c>{"name":..., "value":..., "unit":...}</c>; a non-finite value is written as null.</summary>
    public string ToJson() => new JsonObject
    {
        ["name"] = Name,
        ["value"] = double.IsFinite(Value) ? Value : null,
        ["unit"] = Unit,
    }.ToJsonString();

    public string ToHtml()
    {
        var name = WebUtility.HtmlEncode(Name);
        var value = WebUtility.HtmlEncode(Table.FormatNumber(Value));
        var unit = Unit is null ? "" : $" <span style=\"color:#666;\">{WebUtility.HtmlEncode(Unit)}</span>";
        return "<span class=\"course-metric\" style=\"display:inline-block;font-family:" + HtmlStyle.FontFamily +
               ";font-size:13px;border:1px solid #c9d6e6;border-radius:12px;overflow:hidden;margin:2px 0;\">" +
               $"<span style=\"background:#4c78a8;color:white;padding:2px 8px;\">{name}</span>" +
               $"<span style=\"background:#f3f7fb;padding:2px 8px;font-variant-numeric:tabular-nums;\"><b>{value}</b>{unit}</span></span>";
    }

    public override string ToString() => $"{Name} = {Table.FormatNumber(Value)}{(Unit is null ? "" : " " + Unit)}";

    public static IReadOnlyList<string> MimeTypes { get; } = ["text/html", MetricMimeType, "text/plain"];

    public string Render(string mimeType) => mimeType switch
    {
        "text/html" => ToHtml(),
        MetricMimeType => ToJson(),
        _ => ToString(),
    };
}
