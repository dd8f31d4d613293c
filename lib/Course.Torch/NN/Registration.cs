using System.Collections.Concurrent;
using System.Reflection;
using Course.Torch.Modules;

namespace Course.Torch;

using static torch;

/// <summary>
/// RegisterComponents' field scan. The fields of each module class (and its base classes up to nn.Module) are
/// found by reflection once and cached; registering an instance reads those fields once. Auto-property backing
/// fields are named after their property.
/// </summary>
internal static class Registration
{
    enum Kind { Module, Parameter, Tensor }

    static readonly ConcurrentDictionary<Type, (FieldInfo field, string name, Kind kind)[]> cache = new();

    public static void Register(nn.Module m)
    {
        foreach (var (field, name, kind) in cache.GetOrAdd(m.GetType(), Scan))
        {
            var value = field.GetValue(m);
            if (value is null) continue;
            switch (kind)
            {
                case Kind.Module:
                    if (!ReferenceEquals(value, m)) m.register_module(name, (nn.Module)value);
                    break;
                case Kind.Parameter: m.register_parameter(name, (Parameter)value); break;
                default:
                    // A Tensor-typed field holding a Parameter is a parameter (TorchSharp switches on the value too).
                    if (value is Parameter p) m.register_parameter(name, p);
                    else if (!m.ownParameters.ContainsKey(name)) m.register_buffer(name, (Tensor)value);
                    break;
            }
        }
    }

    static (FieldInfo, string, Kind)[] Scan(Type t)
    {
        var list = new List<(FieldInfo, string, Kind)>();
        var names = new HashSet<string>();
        // Base classes first so inherited parts come first, as declared.
        var chain = new Stack<Type>();
        for (var c = t; c is not null && c != typeof(nn.Module); c = c.BaseType) chain.Push(c);
        foreach (var c in chain)
        {
            foreach (var f in c.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Kind kind;
                if (typeof(nn.Module).IsAssignableFrom(f.FieldType)) kind = Kind.Module;
                else if (typeof(Parameter).IsAssignableFrom(f.FieldType)) kind = Kind.Parameter;
                else if (f.FieldType == typeof(Tensor)) kind = Kind.Tensor;
                else continue;
                var name = FieldName(f.Name);
                if (names.Add(name)) list.Add((f, name, kind));
            }
        }
        return list.ToArray();
    }

    static string FieldName(string n)
    {
        // "<weight>k__BackingField" -> "weight"
        if (n.Length > 0 && n[0] == '<')
        {
            int end = n.IndexOf('>');
            if (end > 1) return n.Substring(1, end - 1);
        }
        return n;
    }
}
