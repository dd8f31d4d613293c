using System.Text.Json.Nodes;

namespace Course.Notebooks.Model;

/// <summary>A code cell output: stream, display_data, execute_result or error.</summary>
public abstract class Output
{
    public abstract string OutputType { get; }
}

public sealed class StreamOutput(string name, string text) : Output
{
    public override string OutputType => "stream";

    /// <summary>"stdout" or "stderr".</summary>
    public string Name { get; } = name;

    private readonly System.Text.StringBuilder _text = new(text);
    private string? _textCache = text;

    public string Text
    {
        get => _textCache ??= _text.ToString();
        set { _text.Clear().Append(value); _textCache = value; }
    }

    /// <summary>Adds to the text without copying what is there, so a cell that prints a line per step stays linear.</summary>
    public void Append(string more)
    {
        _text.Append(more);
        _textCache = null;
    }
}

/// <summary>display_data and execute_result share a MIME bundle and its metadata.</summary>
public abstract class RichOutput(MimeBundle data) : Output
{
    public MimeBundle Data { get; set; } = data;

    public JsonObject Metadata { get; set; } = new();
}

public sealed class DisplayDataOutput(MimeBundle data, string? displayId = null) : RichOutput(data)
{
    public override string OutputType => "display_data";

    /// <summary>transient.display_id: used to update the output in place; never written to the file.</summary>
    public string? DisplayId { get; } = displayId;
}

public sealed class ExecuteResultOutput(MimeBundle data, int? executionCount) : RichOutput(data)
{
    public override string OutputType => "execute_result";

    public int? ExecutionCount { get; set; } = executionCount;
}

public sealed class ErrorOutput(string name, string value, IReadOnlyList<string> traceback) : Output
{
    public override string OutputType => "error";

    public string Name { get; } = name;

    public string Value { get; } = value;

    public IReadOnlyList<string> Traceback { get; } = traceback;
}
