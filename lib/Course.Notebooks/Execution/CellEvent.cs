using Course.Notebooks.Model;

namespace Course.Notebooks.Execution;

/// <summary>Something a running cell produced. Front ends turn these into nbformat outputs or Jupyter messages.</summary>
public abstract record CellEvent;

/// <summary>Text written to Console.Out ("stdout") or Console.Error ("stderr").</summary>
public sealed record StreamEvent(string Name, string Text) : CellEvent;

/// <summary>
/// display(x), x.Display() or a library's Course.Display hook. With <see cref="IsUpdate"/> the bundle replaces the
/// output that carries <see cref="DisplayId"/>.
/// </summary>
public sealed record DisplayEvent(MimeBundle Data, string? DisplayId, bool IsUpdate) : CellEvent;

/// <summary>The value of the cell's last expression.</summary>
public sealed record ResultEvent(MimeBundle Data) : CellEvent;
