using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Notebooks.Execution;
using Course.Notebooks.Model;

namespace Course.Notebooks.Grading;

/// <summary>One cell as the worker reported it: started, and (when it ended) how.</summary>
/// <param name="Status">Null when the cell started but its end was never reported (the process stopped in it).</param>
public sealed record CellRecord(int Index, CellStatus? Status, string? Error, double Seconds, IReadOnlyList<Output> Outputs);

/// <summary>What the results file said, read back by the grader: only lines carrying the run's token count.</summary>
internal sealed record WorkerReport(IReadOnlyDictionary<int, CellRecord> Cells, bool Done, string? RunError, int? LastStarted, int RejectedLines);

/// <summary>The results file's JSON lines: {"token", "event": "start" | "end" | "done", "cell", "status", "error", "seconds", "outputs"}.</summary>
internal static class WorkerProtocol
{
    /// <summary>Longest line read back; a longer one (not written by the worker, which caps outputs) is rejected unread.</summary>
    private const int MaxLineBytes = 64 << 20;

    public static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    public static string StatusName(CellStatus status) => status switch
    {
        CellStatus.Ok => "ok",
        CellStatus.CompileError => "compile_error",
        CellStatus.RuntimeError => "runtime_error",
        CellStatus.TimedOut => "timed_out",
        _ => "cancelled",
    };

    private static CellStatus? ParseStatus(string? name) => name switch
    {
        "ok" => CellStatus.Ok,
        "compile_error" => CellStatus.CompileError,
        "runtime_error" => CellStatus.RuntimeError,
        "timed_out" => CellStatus.TimedOut,
        "cancelled" => CellStatus.Cancelled,
        _ => null,
    };

    /// <summary>Reads the results file. Lines without the token, malformed, or out of order are counted and ignored.</summary>
    public static WorkerReport Read(string path, string token, int cellCount)
    {
        var cells = new Dictionary<int, CellRecord>();
        bool done = false;
        string? runError = null;
        int? running = null, lastStarted = null;
        int rejected = 0;
        var expected = Encoding.UTF8.GetBytes(token);
        if (!File.Exists(path)) return new WorkerReport(cells, false, null, null, 0);
        foreach (var line in Lines(path))
        {
            if (line is null) { rejected++; continue; }
            JsonObject message;
            try
            {
                message = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException)
            {
                rejected++;
                continue;
            }
            var given = message["token"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? Encoding.UTF8.GetBytes(t.GetValue<string>()) : [];
            if (!CryptographicOperations.FixedTimeEquals(given, expected) || done)
            {
                rejected++;
                continue;
            }
            try
            {
                switch (message["event"]?.GetValue<string>())
                {
                    case "start":
                        int start = message["cell"]!.GetValue<int>();
                        if (running is not null || start < 0 || start >= cellCount || cells.ContainsKey(start)) { rejected++; break; }
                        running = lastStarted = start;
                        break;
                    case "end":
                        int end = message["cell"]!.GetValue<int>();
                        if (running != end) { rejected++; break; }
                        var outputs = message["outputs"] is { } o ? NotebookFile.ReadOutputs(o, path) : [];
                        cells[end] = new CellRecord(end, ParseStatus(message["status"]?.GetValue<string>()) ?? CellStatus.RuntimeError,
                            message["error"]?.GetValue<string>(), message["seconds"]?.GetValue<double>() ?? 0, outputs);
                        running = null;
                        break;
                    case "done":
                        done = true;
                        runError = message["error"]?.GetValue<string>();
                        break;
                    default:
                        rejected++;
                        break;
                }
            }
            catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException or NotebookFormatException)
            {
                rejected++;
            }
        }
        // A cell that started and never ended: the process stopped while running it.
        if (running is { } stopped) cells[stopped] = new CellRecord(stopped, null, null, 0, []);
        return new WorkerReport(cells, done, runError, lastStarted, rejected);
    }

    // Lines of the file; null for a line too long to read.
    private static IEnumerable<string?> Lines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new MemoryStream();
        bool tooLong = false;
        var chunk = new byte[1 << 16];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            int start = 0;
            for (int i = 0; i < read; i++)
            {
                if (chunk[i] != (byte)'\n') continue;
                if (!tooLong) buffer.Write(chunk, start, i - start);
                yield return tooLong ? null : Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
                buffer.SetLength(0);
                tooLong = false;
                start = i + 1;
            }
            if (!tooLong)
            {
                buffer.Write(chunk, start, read - start);
                if (buffer.Length > MaxLineBytes) { tooLong = true; buffer.SetLength(0); }
            }
        }
        // A last line without '\n' was cut off by a kill: not a complete message.
    }
}
