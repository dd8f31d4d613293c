using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Course.Lab;

/// <summary>
/// Turns .NET values into plotly.js JSON nodes. JSON has no NaN or Infinity, and plotly.js treats null as a gap,
/// so every non-finite number becomes null.
/// </summary>
internal static class PlotlyJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new FiniteDoubleConverter(), new FiniteFloatConverter() },
    };

    internal static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    internal static JsonArray Numbers(IEnumerable<double> values)
    {
        var a = new JsonArray();
        foreach (var v in values) a.Add(Number(v));
        return a;
    }

    // Floats are written as floats so 0.1f prints as 0.1, not 0.10000000149011612.
    internal static JsonNode? Number(float v) => float.IsFinite(v) ? JsonValue.Create(v) : null;

    internal static JsonArray Numbers(IEnumerable<float> values)
    {
        var a = new JsonArray();
        foreach (var v in values) a.Add(Number(v));
        return a;
    }

    /// <summary>A rows x cols matrix as nested arrays (plotly's z: one inner array per y row).</summary>
    internal static JsonArray Matrix(double[,] z)
    {
        var rows = new JsonArray();
        for (int i = 0; i < z.GetLength(0); i++)
        {
            var row = new JsonArray();
            for (int j = 0; j < z.GetLength(1); j++) row.Add(Number(z[i, j]));
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Any value (number, string, array, anonymous object, JsonNode) as a node; non-finite numbers become null.</summary>
    internal static JsonNode? From(object? value) => value switch
    {
        null => null,
        JsonNode n => n.DeepClone(),
        double d => Number(d),
        float f => Number(f),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        IEnumerable<double> ds => Numbers(ds),
        IEnumerable<float> fs => Numbers(fs),
        double[,] m => Matrix(m),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), Options),
    };

    /// <summary>Sets <paramref name="path"/> ("xaxis.title.text") inside <paramref name="root"/>, creating objects on the way.</summary>
    internal static void Set(JsonObject root, string path, object? value)
    {
        var parts = path.Split('.');
        var obj = root;
        foreach (var part in parts[..^1])
        {
            if (obj[part] is not JsonObject child)
            {
                child = new JsonObject();
                obj[part] = child;
            }
            obj = child;
        }
        obj[parts[^1]] = From(value);
    }

    /// <summary>Copies keys of <paramref name="source"/> into <paramref name="target"/>, recursing into objects.</summary>
    internal static void Merge(JsonObject target, JsonObject source, bool overwrite)
    {
        foreach (var (key, value) in source)
        {
            if (value is JsonObject sub && target[key] is JsonObject existing)
                Merge(existing, sub, overwrite);
            else if (overwrite || !target.ContainsKey(key))
                target[key] = value?.DeepClone();
        }
    }

    private sealed class FiniteDoubleConverter : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }

    private sealed class FiniteFloatConverter : JsonConverter<float>
    {
        public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? float.NaN : reader.GetSingle();

        public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
        {
            if (float.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }
}
