using System.Text.Json.Nodes;

namespace Course.Lab;

/// <summary>
/// One plotly.js trace, held as its JSON object with plotly's own attribute names (type, mode, x, y, z, marker,
/// line, name, ...). Build traces through <see cref="Chart"/>'s factories; <see cref="Set"/> reaches any attribute.
/// </summary>
public sealed class Trace
{
    internal Trace(string type) => Json = new JsonObject { ["type"] = type };

    private Trace(JsonObject json) => Json = json;

    /// <summary>The trace's plotly.js JSON.</summary>
    public JsonObject Json { get; }

    public string Type => Json["type"]!.GetValue<string>();

    public string? Name => Json["name"] is JsonValue v ? v.ToString() : null;

    /// <summary>Sets an attribute by dotted path, e.g. <c>Set("marker.size", 4)</c>.</summary>
    public Trace Set(string path, object? value)
    {
        PlotlyJson.Set(Json, path, value);
        return this;
    }

    public Trace Clone() => new((JsonObject)Json.DeepClone());

    /// <summary>Throws when x, y (and z for 3-D scatter) have different lengths, naming the trace.</summary>
    internal void CheckLengths(string op)
    {
        int? Len(string key) => Json[key] is JsonArray a ? a.Count : null;
        var x = Len("x");
        var y = Len("y");
        if (x is not null && y is not null && x != y && Type is "scatter" or "scattergl" or "bar")
            throw new ArgumentException(
                $"{op}: trace '{Name ?? Type}' has {x} x values but {y} y values; they must have the same length.");
    }
}
