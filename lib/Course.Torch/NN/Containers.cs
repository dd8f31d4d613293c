using System.Collections;

namespace Course.Torch.Modules;

using static Course.Torch.torch;

/// <summary>
/// Runs its modules in order. Unnamed modules are registered as "0", "1", ...; named ones under their names, which
/// become state-dict keys ("0.weight", "encoder.weight").
/// </summary>
public sealed class Sequential : nn.Module<Tensor, Tensor>, IEnumerable<nn.Module<Tensor, Tensor>>
{
    readonly List<nn.Module<Tensor, Tensor>> layers = new();

    internal Sequential() : base("Sequential") { }

    public Sequential append(nn.Module<Tensor, Tensor> module) => append(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);

    public Sequential append(string name, nn.Module<Tensor, Tensor> module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (childModules.ContainsKey(name)) throw new ArgumentException($"Sequential: a module named '{name}' is already in the sequence.");
        register_module(name, module);
        layers.Add(module);
        return this;
    }

    public Sequential Append(nn.Module<Tensor, Tensor> module) => append(module);
    public Sequential Append(string name, nn.Module<Tensor, Tensor> module) => append(name, module);
    public void Add(nn.Module<Tensor, Tensor> module) => append(module);
    public void Add(string name, nn.Module<Tensor, Tensor> module) => append(name, module);

    public int Count => layers.Count;
    public nn.Module<Tensor, Tensor> this[int index] => layers[index];

    /// <remarks>
    /// Linear followed by ReLU runs fused (relu applied in place on the linear output): the same values, gradients
    /// and graph nodes, one [B, N] buffer and one pass fewer. Both classes are sealed, so nothing can observe it.
    /// </remarks>
    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is Linear lin && i + 1 < layers.Count && layers[i + 1] is ReLU) { x = lin.ForwardRelu(x); i++; }
            else x = layers[i].forward(x);
        }
        return x;
    }

    public IEnumerator<nn.Module<Tensor, Tensor>> GetEnumerator() => layers.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A list of submodules registered as "0", "1", ... (for loops over layers the caller writes).</summary>
public sealed class ModuleList<T> : nn.Module, IList<T> where T : nn.Module
{
    readonly List<T> items = new();

    internal ModuleList(IEnumerable<T> modules) : base("ModuleList") { foreach (var m in modules) Add(m); }

    public void Add(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        register_module(items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), item);
        items.Add(item);
    }

    public ModuleList<T> append(T item) { Add(item); return this; }
    public ModuleList<T> extend(IEnumerable<T> more) { foreach (var m in more) Add(m); return this; }

    public T this[int index]
    {
        get => items[index];
        set
        {
            items[index] = value;
            register_module(index.ToString(System.Globalization.CultureInfo.InvariantCulture), value);
        }
    }

    public int Count => items.Count;
    public bool IsReadOnly => false;
    public bool Contains(T item) => items.Contains(item);
    public int IndexOf(T item) => items.IndexOf(item);
    public void CopyTo(T[] array, int arrayIndex) => items.CopyTo(array, arrayIndex);
    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // Removing or inserting would renumber the registered names; PyTorch's ModuleList does not support it either.
    public void Insert(int index, T item) => throw new NotSupportedException("ModuleList: Insert is not supported; build a new list.");
    public void RemoveAt(int index) => throw new NotSupportedException("ModuleList: RemoveAt is not supported; build a new list.");
    public bool Remove(T item) => throw new NotSupportedException("ModuleList: Remove is not supported; build a new list.");
    public void Clear() => throw new NotSupportedException("ModuleList: Clear is not supported; build a new list.");
}

/// <summary>Submodules by name, in insertion order; the names become state-dict prefixes.</summary>
public sealed class ModuleDict<T> : nn.Module, IEnumerable<(string, T)> where T : nn.Module
{
    readonly OrderedDictionary<string, T> items = new();

    internal ModuleDict(IEnumerable<(string, T)> modules) : base("ModuleDict") { foreach (var (k, m) in modules) Add(k, m); }

    public void Add(string key, T module)
    {
        ArgumentNullException.ThrowIfNull(module);
        register_module(key, module);
        items[key] = module;
    }

    public T this[string key]
    {
        get => items.TryGetValue(key, out var m) ? m : throw new KeyNotFoundException($"ModuleDict: no module named '{key}' (have: {string.Join(", ", items.Keys)}).");
        set => Add(key, value);
    }

    public int Count => items.Count;
    public bool ContainsKey(string key) => items.ContainsKey(key);
    public IEnumerable<string> keys() => items.Keys;
    public IEnumerable<T> values() => items.Values;
    public IEnumerator<(string, T)> GetEnumerator() => items.Select(kv => (kv.Key, kv.Value)).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
