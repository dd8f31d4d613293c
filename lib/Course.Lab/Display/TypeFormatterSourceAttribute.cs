namespace Course.Lab;

/// <summary>
/// The .NET Interactive display convention, declared here so no package is needed: hosts (our runner and
/// kernel, or .NET Interactive) find this attribute by name, create <see cref="FormatterSourceType"/>, and call its
/// <c>CreateTypeFormatters()</c>, whose items expose <c>MimeType</c> and <c>bool Format(object, TextWriter)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = true)]
internal sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    public Type FormatterSourceType { get; } = formatterSourceType;

    public string[] PreferredMimeTypes { get; set; } = [];
}
