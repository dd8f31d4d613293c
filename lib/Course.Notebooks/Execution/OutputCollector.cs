using Course.Notebooks.Model;

namespace Course.Notebooks.Execution;

/// <summary>
/// Turns a notebook's cell events into nbformat outputs: consecutive stream writes merge, and a display update
/// replaces the output with that display id in place, in whichever cell it was shown.
/// </summary>
internal sealed class OutputCollector
{
    private readonly Dictionary<string, (Cell Cell, DisplayDataOutput Output)> _displays = new(StringComparer.Ordinal);

    public Action<CellEvent> For(Cell cell) => e => Add(cell, e);

    private void Add(Cell cell, CellEvent e)
    {
        switch (e)
        {
            case StreamEvent stream when cell.Outputs.Count > 0 && cell.Outputs[^1] is StreamOutput last && last.Name == stream.Name:
                last.Append(stream.Text);
                break;
            case StreamEvent stream:
                cell.Outputs.Add(new StreamOutput(stream.Name, stream.Text));
                break;
            case DisplayEvent { IsUpdate: true, DisplayId: { } id } update when _displays.TryGetValue(id, out var shown):
                var replacement = new DisplayDataOutput(update.Data, id);
                shown.Cell.Outputs[shown.Cell.Outputs.IndexOf(shown.Output)] = replacement;
                _displays[id] = (shown.Cell, replacement);
                break;
            case DisplayEvent display:
                var output = new DisplayDataOutput(display.Data, display.DisplayId);
                cell.Outputs.Add(output);
                if (display.DisplayId is { } newId) _displays[newId] = (cell, output);
                break;
            case ResultEvent result:
                cell.Outputs.Add(new ExecuteResultOutput(result.Data, cell.ExecutionCount));
                break;
        }
    }
}
