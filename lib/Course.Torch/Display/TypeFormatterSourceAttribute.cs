namespace Course.Torch;

/// <summary>
/// The .NET Interactive display convention, matched by name: a type carrying this attribute is rendered by the
/// formatters its source creates. Our notebook runner and kernel honour it too; no package is referenced.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface, Inherited = true)]
internal sealed class TypeFormatterSourceAttribute : Attribute
{
    public TypeFormatterSourceAttribute(Type formatterSourceType) => FormatterSourceType = formatterSourceType;

    public Type FormatterSourceType { get; }

    public string[] PreferredMimeTypes { get; set; } = [];
}
