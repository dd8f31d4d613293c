namespace Course.Lab;

/// <summary>A type that can render itself as each of a fixed list of MIME types.</summary>
internal interface IMimeRenderable
{
    /// <summary>The MIME types this type renders, in preference order.</summary>
    static abstract IReadOnlyList<string> MimeTypes { get; }

    /// <summary>The content for <paramref name="mimeType"/> (base64 for image/png, as Jupyter expects).</summary>
    string Render(string mimeType);
}
