using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using Course.Notebooks.Model;

namespace Course.Notebooks.Display;

/// <summary>
/// The .NET Interactive formatter convention, matched by name so libraries need no shared assembly: a type (or
/// a base type or interface) carries an attribute named <c>TypeFormatterSourceAttribute</c> whose
/// <c>FormatterSourceType</c> has <c>CreateTypeFormatters()</c>, yielding objects with <c>string MimeType</c> and
/// <c>bool Format(object, TextWriter)</c>. For a type it does not own (Plotly.NET's GenericChart), a library
/// registers a formatter source instead: <c>AppContext.SetData(RegistryPrefix + type.FullName, sourceType)</c>, which
/// wins over the type's own attribute. Reflection runs once per type; formatting then calls compiled delegates.
/// </summary>
public static class TypeFormatterConvention
{
    private const string AttributeName = "TypeFormatterSourceAttribute";

    /// <summary>AppContext key prefix of registered formatter sources, followed by the formatted type's full name.</summary>
    public const string RegistryPrefix = "Course.TypeFormatterSource:";

    private static readonly ConcurrentDictionary<Type, IReadOnlyList<TypeFormatter>> Cache = new();
    private static readonly ConcurrentDictionary<(Type Type, Type Source), IReadOnlyList<TypeFormatter>> RegisteredCache = new();

    /// <summary>A formatter found through the convention.</summary>
    public sealed record TypeFormatter(string MimeType, Func<object, TextWriter, bool> Format, string Source);

    /// <summary>The formatters for a type, preferred MIME types first; empty when the type does not use the convention.</summary>
    /// <remarks>Registrations are read every time (a library may register after a type was first shown), the rest once.</remarks>
    public static IReadOnlyList<TypeFormatter> For(Type type) =>
        Registered(type) is { } source
            ? RegisteredCache.GetOrAdd((type, source), key => Create(key.Source, key.Type, preferred: []))
            : Cache.GetOrAdd(type, Discover);

    private static Type? Registered(Type type) =>
        SelfBasesAndInterfaces(type).Select(t => AppContext.GetData(RegistryPrefix + t.FullName) as Type).FirstOrDefault(s => s is not null);

    /// <summary>Formats with every formatter that accepts the value; null when the type has none.</summary>
    public static MimeBundle? TryFormat(object value)
    {
        var formatters = For(value.GetType());
        if (formatters.Count == 0) return null;
        var bundle = new MimeBundle();
        foreach (var formatter in formatters)
        {
            if (bundle.ContainsKey(formatter.MimeType)) continue;
            using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            bool accepted;
            try
            {
                accepted = formatter.Format(value, writer);
            }
            catch (Exception e)
            {
                if (e is TargetInvocationException { InnerException: { } inner }) e = inner;
                throw new InvalidOperationException(
                    $"formatter {formatter.Source} ({formatter.MimeType}) failed on a {value.GetType().FullName}: {e.Message}", e);
            }
            if (accepted) bundle[formatter.MimeType] = writer.ToString();
        }
        return bundle.Count > 0 ? bundle : null;
    }

    private static IReadOnlyList<TypeFormatter> Discover(Type type)
    {
        var attribute = SelfBasesAndInterfaces(type)
            .SelectMany(t => t.GetCustomAttributes(inherit: false))
            .FirstOrDefault(a => a.GetType().Name == AttributeName);
        if (attribute is null) return Array.Empty<TypeFormatter>();

        var attributeType = attribute.GetType();
        var sourceType = attributeType.GetProperty("FormatterSourceType")?.GetValue(attribute) as Type
            ?? throw new InvalidOperationException($"{attributeType.FullName} on {type.FullName} has no FormatterSourceType");
        var preferred = attributeType.GetProperty("PreferredMimeTypes")?.GetValue(attribute) as string[] ?? Array.Empty<string>();
        return Create(sourceType, type, preferred);
    }

    private static IReadOnlyList<TypeFormatter> Create(Type sourceType, Type type, string[] preferred)
    {
        object source;
        try
        {
            source = Activator.CreateInstance(sourceType, nonPublic: true)
                ?? throw new InvalidOperationException("Activator returned null");
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            throw new InvalidOperationException($"cannot create formatter source {sourceType.FullName} for {type.FullName}: {e.Message}", e);
        }
        var create = sourceType.GetMethod("CreateTypeFormatters", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes)
            ?? throw new InvalidOperationException($"formatter source {sourceType.FullName} has no CreateTypeFormatters()");

        var formatters = new List<TypeFormatter>();
        foreach (var formatter in (IEnumerable)(create.Invoke(source, null) ?? Array.Empty<object>()))
        {
            if (formatter is null) continue;
            var formatterType = formatter.GetType();
            // .NET Interactive formatters also say which type they format; skip those meant for another type.
            if (formatterType.GetProperty("Type")?.GetValue(formatter) is Type target && !target.IsAssignableFrom(type)) continue;
            var mime = formatterType.GetProperty("MimeType")?.GetValue(formatter) as string
                ?? throw new InvalidOperationException($"formatter {formatterType.FullName} has no string MimeType");
            formatters.Add(new TypeFormatter(mime, CompileFormat(formatter, formatterType), formatterType.FullName ?? formatterType.Name));
        }
        // Preferred MIME types first (stable otherwise), so a front end that shows one representation picks them.
        return formatters
            .OrderBy(f => Array.IndexOf(preferred, f.MimeType) is var i && i >= 0 ? i : int.MaxValue)
            .ToList();
    }

    private static Func<object, TextWriter, bool> CompileFormat(object formatter, Type formatterType)
    {
        var method = formatterType
            .GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .FirstOrDefault(m => m.Name == "Format" && m.ReturnType == typeof(bool) && m.GetParameters() is [_, var w] && w.ParameterType == typeof(TextWriter))
            ?? throw new InvalidOperationException($"formatter {formatterType.FullName} has no bool Format(object, TextWriter)");
        var instanceType = method.GetParameters()[0].ParameterType;
        // Bound delegates: as fast as a direct call and far cheaper to create than compiled expression trees.
        if (instanceType == typeof(object))
            return method.CreateDelegate<Func<object, TextWriter, bool>>(formatter);
        var typed = method.CreateDelegate(typeof(Func<,,>).MakeGenericType(instanceType, typeof(TextWriter), typeof(bool)), formatter);
        return (instance, writer) => (bool)typed.DynamicInvoke(instance, writer)!;
    }

    private static IEnumerable<Type> SelfBasesAndInterfaces(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType) yield return t;
        foreach (var i in type.GetInterfaces()) yield return i;
    }
}
