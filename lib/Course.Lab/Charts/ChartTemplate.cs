using System.Text.Json.Nodes;

namespace Course.Lab;

/// <summary>
/// The course's plotly.js template: white background, readable fonts, light grids, sensible margins and a
/// qualitative palette (Vega's Tableau-10), applied through plotly's own <c>layout.template</c>.
/// </summary>
public static class ChartTemplate
{
    public const int DefaultHeight = 420;

    /// <summary>Colours given to traces in order (plotly's <c>colorway</c>).</summary>
    public static readonly string[] Palette =
    [
        "#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac",
    ];

    internal const string FontFamily = "Inter, 'Segoe UI', 'Helvetica Neue', Helvetica, Arial, sans-serif";

    internal static JsonObject Axis() => new()
    {
        ["showgrid"] = true,
        ["gridcolor"] = "#ebebeb",
        ["zeroline"] = false,
        ["showline"] = true,
        ["linecolor"] = "#9a9a9a",
        ["ticks"] = "outside",
        ["tickcolor"] = "#9a9a9a",
        ["ticklen"] = 4,
        ["automargin"] = true,
        ["title"] = new JsonObject { ["standoff"] = 10 },
    };

    internal static JsonObject Create()
    {
        var palette = new JsonArray();
        foreach (var c in Palette) palette.Add(c);
        var sceneAxis = new JsonObject { ["gridcolor"] = "#dedede", ["backgroundcolor"] = "white", ["showbackground"] = true };
        return new JsonObject
        {
            ["layout"] = new JsonObject
            {
                ["font"] = new JsonObject { ["family"] = FontFamily, ["size"] = 13, ["color"] = "#2a2a2a" },
                ["paper_bgcolor"] = "white",
                ["plot_bgcolor"] = "white",
                ["colorway"] = palette,
                ["margin"] = new JsonObject { ["l"] = 64, ["r"] = 24, ["t"] = 56, ["b"] = 56 },
                ["title"] = new JsonObject { ["x"] = 0.02, ["xanchor"] = "left", ["font"] = new JsonObject { ["size"] = 16 } },
                ["xaxis"] = Axis(),
                ["yaxis"] = Axis(),
                ["scene"] = new JsonObject
                {
                    ["xaxis"] = sceneAxis.DeepClone(), ["yaxis"] = sceneAxis.DeepClone(), ["zaxis"] = sceneAxis.DeepClone(),
                },
                ["legend"] = new JsonObject { ["bgcolor"] = "rgba(255,255,255,0.85)", ["bordercolor"] = "#e0e0e0", ["borderwidth"] = 1 },
                ["hovermode"] = "closest",
                ["colorscale"] = new JsonObject { ["sequential"] = "Viridis" },
            },
            ["data"] = new JsonObject
            {
                ["scatter"] = new JsonArray(new JsonObject { ["line"] = new JsonObject { ["width"] = 2 } }),
                ["histogram"] = new JsonArray(new JsonObject { ["marker"] = new JsonObject { ["line"] = new JsonObject { ["width"] = 0 } } }),
            },
        };
    }
}
