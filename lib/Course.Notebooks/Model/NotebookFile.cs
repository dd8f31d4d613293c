using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Shared;

namespace Course.Notebooks.Model;

/// <summary>
/// Reads and writes nbformat 4 (.ipynb) the way Jupyter does: 1-space indentation, sorted keys, source and text
/// as arrays of '\n'-terminated lines, a trailing newline (see <see cref="JupyterJson"/>). Unknown metadata is kept.
/// </summary>
public static class NotebookFile
{
    public static Notebook Read(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NotebookFormatException($"{path}: cannot read the notebook: {e.Message}", e);
        }
        return Parse(json, path);
    }

    /// <summary>Parses notebook JSON; <paramref name="sourceName"/> names the file in errors.</summary>
    public static Notebook Parse(string json, string sourceName)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            var at = e.LineNumber is { } line ? $"line {line + 1}, col {(e.BytePositionInLine ?? 0) + 1}" : "unknown position";
            var reason = e.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0];
            throw new NotebookFormatException($"{sourceName}: {at}: malformed JSON: {reason}", e);
        }
        return new Reader(sourceName).ReadNotebook(root);
    }

    public static string Serialize(Notebook notebook)
    {
        var root = new JsonObject
        {
            ["cells"] = new JsonArray(notebook.Cells.Select(WriteCell).ToArray<JsonNode?>()),
            ["metadata"] = notebook.Metadata.DeepClone(),
            ["nbformat"] = notebook.FormatMajor,
            ["nbformat_minor"] = notebook.FormatMinor,
        };
        return JupyterJson.Serialize(root);
    }

    /// <summary>Writes to a temporary file beside the target, then moves it, so a notebook is never half-written.</summary>
    public static void Write(Notebook notebook, string path) => AtomicFile.WriteAllText(path, Serialize(notebook));

    /// <summary>"a\nb" becomes ["a\n", "b"], as Jupyter stores multi-line strings.</summary>
    internal static JsonArray SplitLines(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return lines;
    }

    private static JsonObject WriteCell(Cell cell)
    {
        var node = new JsonObject
        {
            ["cell_type"] = cell.Type switch
            {
                CellType.Code => "code",
                CellType.Markdown => "markdown",
                _ => "raw",
            },
            ["id"] = cell.Id,
            ["metadata"] = cell.Metadata.DeepClone(),
            ["source"] = SplitLines(cell.Source),
        };
        if (cell.Attachments is not null && cell.Type != CellType.Code)
            node["attachments"] = cell.Attachments.DeepClone();
        if (cell.Type == CellType.Code)
        {
            node["execution_count"] = cell.ExecutionCount;
            node["outputs"] = new JsonArray(cell.Outputs.Select(WriteOutput).ToArray<JsonNode?>());
        }
        return node;
    }

    /// <summary>One output as nbformat JSON (multi-line text as arrays of lines).</summary>
    internal static JsonObject WriteOutput(Output output)
    {
        var node = new JsonObject { ["output_type"] = output.OutputType };
        switch (output)
        {
            case StreamOutput stream:
                node["name"] = stream.Name;
                node["text"] = SplitLines(stream.Text);
                break;
            case RichOutput rich:
                node["data"] = rich.Data.ToJson(textAsLines: true);
                node["metadata"] = rich.Metadata.DeepClone();
                if (rich is ExecuteResultOutput result) node["execution_count"] = result.ExecutionCount;
                break;
            case ErrorOutput error:
                node["ename"] = error.Name;
                node["evalue"] = error.Value;
                node["traceback"] = new JsonArray(error.Traceback.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray());
                break;
        }
        return node;
    }

    /// <summary>Reads a cell's outputs array; errors name <paramref name="sourceName"/> and the JSON path.</summary>
    internal static List<Output> ReadOutputs(JsonNode? outputs, string sourceName) => new Reader(sourceName).ReadOutputs(outputs, "$.outputs");

    /// <summary>Validates structure while reading; every error names the file and the JSON path.</summary>
    private sealed class Reader(string file)
    {
        public Notebook ReadNotebook(JsonNode? root)
        {
            var obj = Object(root, "$");
            int major = Int(obj, "nbformat", "$");
            if (major != 4)
                throw Error("$.nbformat", $"nbformat {major} is not supported (only nbformat 4)");
            var notebook = new Notebook
            {
                FormatMajor = major,
                FormatMinor = obj.ContainsKey("nbformat_minor") ? Int(obj, "nbformat_minor", "$") : 0,
                Metadata = obj["metadata"] is null ? new JsonObject() : (JsonObject)Object(obj["metadata"], "$.metadata").DeepClone(),
            };
            var cells = obj["cells"] as JsonArray ?? throw Error("$.cells", "missing or not an array: this is not a notebook");
            for (int i = 0; i < cells.Count; i++) notebook.Cells.Add(ReadCell(cells[i], $"$.cells[{i}]"));
            return notebook;
        }

        private Cell ReadCell(JsonNode? node, string path)
        {
            var obj = Object(node, path);
            var typeName = String(obj, "cell_type", path);
            var type = typeName switch
            {
                "code" => CellType.Code,
                "markdown" => CellType.Markdown,
                "raw" => CellType.Raw,
                _ => throw Error($"{path}.cell_type", $"'{typeName}' is not markdown, code or raw"),
            };
            var cell = new Cell(type, MultilineString(obj["source"], $"{path}.source"), obj["id"] is null ? null : String(obj, "id", path))
            {
                Metadata = obj["metadata"] is null ? new JsonObject() : (JsonObject)Object(obj["metadata"], $"{path}.metadata").DeepClone(),
                Attachments = obj["attachments"] is JsonObject attachments ? (JsonObject)attachments.DeepClone() : null,
            };
            if (type == CellType.Code)
            {
                cell.ExecutionCount = OptionalInt(obj["execution_count"], $"{path}.execution_count");
                if (obj["outputs"] is { } outputs) cell.Outputs.AddRange(ReadOutputs(outputs, $"{path}.outputs"));
            }
            return cell;
        }

        public List<Output> ReadOutputs(JsonNode? node, string path)
        {
            if (node is not JsonArray list) throw Error(path, "not an array");
            return list.Select((output, i) => ReadOutput(output, $"{path}[{i}]")).ToList();
        }

        private Output ReadOutput(JsonNode? node, string path)
        {
            var obj = Object(node, path);
            var type = String(obj, "output_type", path);
            switch (type)
            {
                case "stream":
                    return new StreamOutput(String(obj, "name", path), MultilineString(obj["text"], $"{path}.text"));
                case "display_data":
                    return new DisplayDataOutput(ReadBundle(obj["data"], $"{path}.data")) { Metadata = OptionalObject(obj["metadata"], $"{path}.metadata") };
                case "execute_result":
                    return new ExecuteResultOutput(ReadBundle(obj["data"], $"{path}.data"), OptionalInt(obj["execution_count"], $"{path}.execution_count"))
                    {
                        Metadata = OptionalObject(obj["metadata"], $"{path}.metadata"),
                    };
                case "error":
                    var traceback = obj["traceback"] as JsonArray ?? throw Error($"{path}.traceback", "missing or not an array");
                    return new ErrorOutput(String(obj, "ename", path), String(obj, "evalue", path),
                        traceback.Select((line, i) => StringValue(line, $"{path}.traceback[{i}]")).ToList());
                default:
                    throw Error($"{path}.output_type", $"'{type}' is not stream, display_data, execute_result or error");
            }
        }

        private MimeBundle ReadBundle(JsonNode? node, string path)
        {
            var bundle = new MimeBundle();
            foreach (var (mime, value) in Object(node, path))
            {
                bundle[mime] = value is JsonObject or JsonArray && MimeBundle.IsJsonMimeType(mime)
                    ? value.ToJsonString()
                    : MultilineString(value, $"{path}['{mime}']");
            }
            return bundle;
        }

        private string MultilineString(JsonNode? node, string path) => node switch
        {
            JsonArray lines => string.Concat(lines.Select((line, i) => StringValue(line, $"{path}[{i}]"))),
            JsonValue => StringValue(node, path),
            _ => throw Error(path, "missing, or neither a string nor an array of strings"),
        };

        private string StringValue(JsonNode? node, string path) =>
            node is JsonValue value && value.GetValueKind() == JsonValueKind.String
                ? value.GetValue<string>()
                : throw Error(path, "not a string");

        private string String(JsonObject obj, string key, string path) => StringValue(obj[key], $"{path}.{key}");

        private int Int(JsonObject obj, string key, string path) =>
            OptionalInt(obj[key], $"{path}.{key}") ?? throw Error($"{path}.{key}", "missing");

        private int? OptionalInt(JsonNode? node, string path) => node switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var i) => i,
            JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var d) && d == Math.Floor(d) => (int)d,
            _ => throw Error(path, "not an integer"),
        };

        private JsonObject OptionalObject(JsonNode? node, string path) =>
            node is null ? new JsonObject() : (JsonObject)Object(node, path).DeepClone();

        private JsonObject Object(JsonNode? node, string path) =>
            node as JsonObject ?? throw Error(path, node is null ? "missing, expected an object" : $"expected an object, found {node.GetValueKind()}");

        private NotebookFormatException Error(string path, string message) =>
            new($"{file}: at {path}: {message}: not an nbformat 4 notebook");
    }
}
