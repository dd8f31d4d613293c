namespace Course.Lab;

/// <summary>Formatter source for the display convention: one formatter per MIME type that <typeparamref name="T"/> renders.</summary>
internal sealed class MimeFormatterSource<T> where T : IMimeRenderable
{
    public IEnumerable<object> CreateTypeFormatters() => T.MimeTypes.Select(m => new MimeFormatter<T>(m));
}

/// <summary>One formatter of the convention: a MIME type and a Format method that writes the content.</summary>
internal sealed class MimeFormatter<T>(string mimeType) where T : IMimeRenderable
{
    public string MimeType { get; } = mimeType;

    public Type Type => typeof(T);

    public bool Format(object instance, TextWriter writer)
    {
        if (instance is not T value) return false;
        writer.Write(value.Render(MimeType));
        return true;
    }
}
