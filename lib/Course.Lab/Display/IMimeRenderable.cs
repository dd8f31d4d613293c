namespace Course.Lab;

/// <summary>A type that can render itself as each of a fixed list of MIME types.</summary>
internal interface IMimeRenderable
{
    /// <summary>The MIME types this type renders, in preference order.</summary>
    static abstract IReadOnlyList<string> MimeTypes { get; }

    /// <summary>The content for <paramref name="mimeType"/> (base64 for image/png, as Jupyter expects).</summary>
    string Render(string mimeType);
}

internal static class MimeRendering
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, IReadOnlyList<string>> Cache = new();

    /// <summary>The MIME types a renderable value's type declares (its static <see cref="IMimeRenderable.MimeTypes"/>).</summary>
    public static IReadOnlyList<string> MimeTypesOf(IMimeRenderable value) =>
        Cache.GetOrAdd(value.GetType(), type =>
            type.GetProperty(nameof(IMimeRenderable.MimeTypes), System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null) as IReadOnlyList<string>
            ?? throw new InvalidOperationException($"{type.FullName} implements IMimeRenderable without a public static MimeTypes"));
}
