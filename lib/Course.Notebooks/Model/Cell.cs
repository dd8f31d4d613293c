using System.Text.Json.Nodes;

namespace Course.Notebooks.Model;

/// <summary>One notebook cell. Outputs and execution count apply to code cells only.</summary>
public sealed class Cell
{
    public Cell(CellType type, string source, string? id = null)
    {
        Type = type;
        Source = source;
        Id = id ?? NewId();
    }

    public CellType Type { get; }

    /// <summary>nbformat 4.5 requires an id per cell; readers of older files get a fresh one.</summary>
    public string Id { get; set; }

    public string Source { get; set; }

    /// <summary>Cell metadata, kept as read so keys this model does not know survive a round trip.</summary>
    public JsonObject Metadata { get; set; } = new();

    /// <summary>Markdown and raw cells may carry attachments; kept verbatim.</summary>
    public JsonObject? Attachments { get; set; }

    public int? ExecutionCount { get; set; }

    public List<Output> Outputs { get; } = new();

    public IReadOnlyList<string> Tags =>
        Metadata["tags"] is JsonArray tags
            ? tags.Select(t => t?.GetValueKind() == System.Text.Json.JsonValueKind.String ? t.GetValue<string>() : "").ToList()
            : Array.Empty<string>();

    public bool HasTag(string tag) => Tags.Contains(tag, StringComparer.Ordinal);

    /// <summary>Source as two editors agree on it: front ends may change line endings and trailing whitespace, nothing else.</summary>
    public static string NormalizeSource(string source) =>
        string.Join('\n', source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd())).Trim();

    public static Cell Code(string source, params string[] tags) => WithTags(new Cell(CellType.Code, source), tags);

    public static Cell Markdown(string source) => new(CellType.Markdown, source);

    public static Cell Raw(string source) => new(CellType.Raw, source);

    private static Cell WithTags(Cell cell, string[] tags)
    {
        if (tags.Length > 0)
            cell.Metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
        return cell;
    }

    // Jupyter uses 8 hex characters; any string of 1-64 [a-zA-Z0-9-_] is valid.
    private static string NewId() => Guid.NewGuid().ToString("N")[..8];
}
