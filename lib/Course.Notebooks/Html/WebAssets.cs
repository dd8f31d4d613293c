using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Course.Notebooks.Html;

/// <summary>
/// plotly.js and KaTeX for self-contained pages, read from the repository's node_modules (npm ci) and inlined;
/// KaTeX's woff2 fonts become data URIs. Without node_modules, pages fall back to CDN tags and say so.
/// </summary>
public sealed partial class WebAssets
{
    private const string PlotlyFile = "plotly.js-dist-min/plotly.min.js";
    private const string KatexJsFile = "katex/dist/katex.min.js";
    private const string KatexCssFile = "katex/dist/katex.min.css";
    private const string AutoRenderFile = "katex/dist/contrib/auto-render.min.js";
    private const string CdnPlotly = "https://cdn.jsdelivr.net/npm/plotly.js-dist-min@4.1.2/plotly.min.js";
    private const string CdnKatex = "https://cdn.jsdelivr.net/npm/katex@0.19.1/dist/";

    private static readonly ConcurrentDictionary<string, WebAssets> Loaded = new(StringComparer.Ordinal);

    private readonly string? _nodeModules;
    private readonly Lazy<string> _plotly;
    private readonly Lazy<string> _katex;

    private WebAssets(string? nodeModules)
    {
        _nodeModules = nodeModules;
        _plotly = new(() => nodeModules is null
            ? $"<script src=\"{CdnPlotly}\" charset=\"utf-8\"></script>"
            : $"<script>{ScriptText(Read(PlotlyFile))}</script>");
        _katex = new(() => nodeModules is null
            ? $"<link rel=\"stylesheet\" href=\"{CdnKatex}katex.min.css\">\n<script src=\"{CdnKatex}katex.min.js\"></script>\n<script src=\"{CdnKatex}contrib/auto-render.min.js\"></script>"
            : $"<style>{InlineFonts(Read(KatexCssFile))}</style>\n<script>{ScriptText(Read(KatexJsFile))}</script>\n<script>{ScriptText(Read(AutoRenderFile))}</script>");
    }

    /// <summary>The node_modules folder in use, or null when pages use CDN links.</summary>
    public string? NodeModules => _nodeModules;

    /// <summary>Set when the assets were not found: pages then need the network to show charts and math.</summary>
    public string? Warning => _nodeModules is null
        ? $"warning: node_modules with {PlotlyFile} and katex was not found above the notebook or the current folder (run npm ci at the repository root); HTML pages load plotly.js and KaTeX from a CDN"
        : null;

    /// <summary>A script tag holding plotly.js.</summary>
    public string PlotlyTag => _plotly.Value;

    /// <summary>KaTeX's stylesheet (fonts inlined), script and auto-render extension.</summary>
    public string KatexTags => _katex.Value;

    /// <summary>Finds node_modules by walking up from each start folder; cached per folder found.</summary>
    public static WebAssets Locate(params string[] startDirectories)
    {
        foreach (var start in startDirectories)
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "node_modules");
                if (File.Exists(Path.Combine(candidate, PlotlyFile)) && File.Exists(Path.Combine(candidate, KatexJsFile)))
                    return Loaded.GetOrAdd(candidate, c => new WebAssets(c));
            }
        }
        return Loaded.GetOrAdd("", _ => new WebAssets(null));
    }

    private string Read(string relative)
    {
        var path = Path.Combine(_nodeModules!, relative);
        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (IOException e)
        {
            throw new IOException($"{path}: cannot read ({e.Message}); run npm ci at the repository root", e);
        }
    }

    // Inline scripts must not close their own element or open an HTML comment.
    private static string ScriptText(string js) =>
        js.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase).Replace("<!--", "<\\!--", StringComparison.Ordinal);

    // woff2 only (every current browser reads it): about 300 KB of fonts instead of three formats.
    private string InlineFonts(string css)
    {
        var fonts = Path.Combine(_nodeModules!, "katex/dist");
        return FontSource().Replace(css, m =>
        {
            var file = Path.Combine(fonts, m.Groups["file"].Value);
            return File.Exists(file)
                ? $"src:url(data:font/woff2;base64,{Convert.ToBase64String(File.ReadAllBytes(file))}) format(\"woff2\")"
                : m.Value;
        });
    }

    [GeneratedRegex(@"src:url\((?<file>fonts/[^)]+\.woff2)\) format\(""woff2""\)(?:,url\([^)]+\) format\(""[a-z]+""\))*")]
    private static partial Regex FontSource();
}
