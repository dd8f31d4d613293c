using System.Text.Json.Nodes;

namespace Course.Lab;

// Subplots: several charts in one figure on plotly's layout.grid, each with its own axes and title.
public sealed partial class Chart
{
    // Gaps are fractions of a cell (plotly's grid xgap/ygap): room for tick labels, axis titles and subplot
    // titles; wider when colour bars sit between columns.
    private const double GridXGap = 0.15;
    private const double GridXGapWithColorbars = 0.28;
    private const double GridYGap = 0.32;

    /// <summary>
    /// Places <paramref name="charts"/> row by row on a <paramref name="rows"/> x <paramref name="columns"/> grid
    /// (plotly <c>grid</c>, pattern 'independent'); each chart's title becomes its subplot title.
    /// </summary>
    public static Chart Grid(int rows, int columns, params Chart[] charts)
    {
        if (rows <= 0 || columns <= 0)
            throw new ArgumentException($"Chart.Grid: {rows}x{columns} needs positive rows and columns.");
        if (charts.Length > rows * columns)
            throw new ArgumentException($"Chart.Grid: {charts.Length} charts do not fit a {rows}x{columns} grid.");

        var grid = new Chart();
        bool colorbars = charts.Any(c => c.Traces.Any(t => t.Type is "heatmap" or "contour" or "surface"));
        double xgap = colorbars ? GridXGapWithColorbars : GridXGap;
        grid.Set("grid", new { rows, columns, pattern = "independent", roworder = "top to bottom", xgap, ygap = GridYGap });
        var annotations = new JsonArray();
        int scenes = 0;
        for (int k = 0; k < charts.Length; k++)
        {
            var chart = charts[k];
            int row = k / columns, col = k % columns;
            var (x0, x1) = Cell(col, columns, xgap);
            var (y0, y1) = Cell(rows - 1 - row, rows, GridYGap); // paper y grows upwards; row 0 is the top
            string suffix = k == 0 ? "" : (k + 1).ToString();
            bool is3d = chart.Traces.Any(t => t.Type == "surface");

            foreach (var source in chart.Traces)
            {
                var t = source.Clone();
                if (is3d) t.Set("scene", "scene" + (scenes == 0 ? "" : (scenes + 1).ToString()));
                else t.Set("xaxis", "x" + suffix).Set("yaxis", "y" + suffix);
                if (t.Type is "heatmap" or "contour" or "surface")
                    t.Set("colorbar", new { x = x1 + 0.01, xanchor = "left", y = (y0 + y1) / 2, len = y1 - y0, thickness = 10 });
                grid.Traces.Add(t);
            }

            if (is3d)
            {
                var scene = chart.Layout["scene"] as JsonObject ?? new JsonObject();
                scene = (JsonObject)scene.DeepClone();
                scene["domain"] = new JsonObject { ["x"] = new JsonArray(x0, x1), ["y"] = new JsonArray(y0, y1) };
                grid.Layout["scene" + (scenes == 0 ? "" : (scenes + 1).ToString())] = scene;
                scenes++;
            }
            else
            {
                if (chart.Layout["xaxis"] is JsonObject xa) grid.Layout["xaxis" + suffix] = xa.DeepClone();
                if (chart.Layout["yaxis"] is JsonObject ya)
                {
                    var y = (JsonObject)ya.DeepClone();
                    if (y["scaleanchor"] is not null) y["scaleanchor"] = "x" + suffix;
                    grid.Layout["yaxis" + suffix] = y;
                }
            }

            var title = chart.Layout["title"]?["text"]?.ToString();
            if (title is not null)
                annotations.Add(new JsonObject
                {
                    ["text"] = $"<b>{title}</b>", ["showarrow"] = false, ["xref"] = "paper", ["yref"] = "paper",
                    ["x"] = (x0 + x1) / 2, ["y"] = y1 + 0.01, ["xanchor"] = "center", ["yanchor"] = "bottom",
                    ["font"] = new JsonObject { ["size"] = 14 },
                });
        }
        if (annotations.Count > 0) grid.Layout["annotations"] = annotations;
        grid.Set("height", Math.Max(ChartTemplate.DefaultHeight, 340 * rows));
        // One legend for several subplots mixes their entries; Set("showlegend", true) brings it back.
        grid.Set("showlegend", false);
        return grid;
    }

    /// <summary>Cell i of n along one direction, as plotly's grid computes it: step = 1/(n - gap), width = step(1 - gap).</summary>
    internal static (double Start, double End) Cell(int i, int n, double gap)
    {
        double step = 1.0 / (n - gap);
        double start = step * i;
        return (start, start + step * (1 - gap));
    }
}
