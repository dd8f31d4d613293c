using System.Text;
using Course.Shared;

namespace Course.Lab;

// HTML output: a div plus a script that draws with plotly.js, loading it from the CDN only when the page lacks it.
public sealed partial class Chart
{
    /// <summary>The plotly.js version the course pins (the npm package plotly.js-dist-min in the repository).</summary>
    public const string PlotlyVersion = "4.1.2";

    public const string PlotlyCdnUrl = "https://cdn.plot.ly/plotly-" + PlotlyVersion + ".min.js";

    /// <summary>
    /// A <c>&lt;div&gt;</c> with a unique id and a script calling <c>Plotly.newPlot(id, data, layout, {responsive: true})</c>.
    /// If <c>window.Plotly</c> exists (offline pages inline it) it draws at once; otherwise one shared loader fetches
    /// plotly.js from the CDN and runs every queued chart when it arrives.
    /// </summary>
    public string ToHtml()
    {
        var id = "course-chart-" + Guid.NewGuid().ToString("N")[..12];
        var layout = RenderedLayout();
        var height = Pixels(layout["height"]) ?? ChartTemplate.DefaultHeight;
        var width = Pixels(layout["width"]) is { } w ? $"max-width:{w}px;" : "";
        // System.Text.Json escapes <, > and & by default, so no string in the figure can close the script tag.
        var figure = ToJsonNode().ToJsonString();
        var sb = new StringBuilder();
        sb.Append($"<div id=\"{id}\" class=\"course-chart\" style=\"width:100%;{width}height:{height}px;\"></div>\n");
        sb.Append("<script type=\"text/javascript\">\n(function () {\n");
        sb.Append($"  var id = '{id}';\n");
        sb.Append($"  var figure = {figure};\n");
        sb.Append("""
              function draw() {
                var el = document.getElementById(id);
                if (el) window.Plotly.newPlot(el, figure.data, figure.layout, {responsive: true, displaylogo: false});
              }
              if (typeof window.Plotly !== 'undefined') { draw(); return; }
              var queue = window.__coursePlotlyQueue = window.__coursePlotlyQueue || [];
              queue.push(draw);
              if (window.__coursePlotlyLoading) return;
              window.__coursePlotlyLoading = true;
              var script = document.createElement('script');

            """);
        sb.Append($"  script.src = '{PlotlyCdnUrl}';\n");
        sb.Append("""
              script.charset = 'utf-8';
              script.onload = function () {
                var pending = window.__coursePlotlyQueue || [];
                window.__coursePlotlyQueue = [];
                pending.forEach(function (f) { f(); });
              };
              script.onerror = function () {
                window.__coursePlotlyLoading = false;
                var el = document.getElementById(id);
                if (el) el.textContent = 'plotly.js could not be loaded from ' + script.src + ' (offline?). Export the notebook to HTML to view charts offline.';
              };
              document.head.appendChild(script);
            })();
            </script>
            """);
        return sb.ToString();
    }

    // Height and width may have been set as int or double.
    private static int? Pixels(System.Text.Json.Nodes.JsonNode? node) =>
        node is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<double>(out var d) ? (int)Math.Round(d) :
        node is System.Text.Json.Nodes.JsonValue i && i.TryGetValue<int>(out var n) ? n : null;

    /// <summary>
    /// Writes a standalone HTML page with plotly.js inlined (from node_modules/plotly.js-dist-min, found walking up),
    /// so it opens offline. Written to a temporary file and moved, so a failed write leaves nothing half-done.
    /// </summary>
    public void SaveHtml(string path, string? pageTitle = null, string? plotlyJsPath = null)
    {
        const string relative = "node_modules/plotly.js-dist-min/plotly.min.js";
        var js = plotlyJsPath ?? DataLocator.FindFileUpwards(Path.Combine("node_modules", "plotly.js-dist-min", "plotly.min.js"))
            ?? throw new FileNotFoundException(
                $"Chart.SaveHtml: plotly.js not found under node_modules ({relative}, searched walking up from " +
                string.Join(" or ", DataLocator.StartDirectories().Select(d => $"'{d}'")) + "): run `npm ci` at the repository root.");
        // An explicit path that is missing (usually node_modules not installed yet) gets the same advice, not a raw IO error.
        if (!File.Exists(js))
            throw new FileNotFoundException(
                $"Chart.SaveHtml: plotly.js not found under node_modules ('{Path.GetFullPath(js)}' does not exist): run `npm ci` at the repository root.", js);
        var title = System.Net.WebUtility.HtmlEncode(pageTitle ?? Layout["title"]?["text"]?.ToString() ?? "Chart");
        var sb = new StringBuilder();
        sb.Append($"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n");
        sb.Append("<script type=\"text/javascript\">\n").Append(File.ReadAllText(js)).Append("\n</script>\n");
        sb.Append($"<style>body {{ font-family: {ChartTemplate.FontFamily}; margin: 24px; background: white; }}</style>\n");
        sb.Append("</head>\n<body>\n").Append(ToHtml()).Append("\n</body>\n</html>\n");
        AtomicFile.WriteAllText(path, sb.ToString());
    }
}
