namespace Course.Notebooks.Model;

/// <summary>A notebook file that is not valid JSON or not an nbformat 4 notebook; the message names file and position.</summary>
public sealed class NotebookFormatException(string message, Exception? inner = null) : Exception(message, inner);
