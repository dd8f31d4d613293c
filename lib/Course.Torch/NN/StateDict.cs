namespace Course.Torch;

using static torch;

/// <summary>load_state_dict: checks keys, shapes and dtypes, then copies values in place under no_grad.</summary>
internal static class StateDict
{
    public static (IList<string> missing, IList<string> unexpected) Load(nn.Module m, Dictionary<string, Tensor> source, bool strict, IList<string>? skip, string? where)
    {
        ArgumentNullException.ThrowIfNull(source);
        string ctx = where is null ? "" : $" ({where})";
        var target = m.state_dict();
        var missing = new List<string>();
        var unexpected = new List<string>();
        foreach (var key in target.Keys)
            if (!source.ContainsKey(key) && (skip is null || !skip.Contains(key))) missing.Add(key);
        foreach (var key in source.Keys)
            if (!target.ContainsKey(key) && (skip is null || !skip.Contains(key))) unexpected.Add(key);
        if (strict && (missing.Count > 0 || unexpected.Count > 0))
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add("missing keys: " + string.Join(", ", missing.Select(k => $"'{k}'")));
            if (unexpected.Count > 0) parts.Add("unexpected keys: " + string.Join(", ", unexpected.Select(k => $"'{k}'")));
            throw new ArgumentException($"load_state_dict{ctx}: state dict does not match {m.GetName()}: {string.Join("; ", parts)}.");
        }
        // Check everything before writing anything, so a bad dict leaves the module unchanged.
        foreach (var (key, dst) in target)
        {
            if (!source.TryGetValue(key, out var src) || (skip is not null && skip.Contains(key))) continue;
            if (!Shape.SameShape(src.shp, dst.shp))
                throw new ArgumentException($"load_state_dict{ctx}: key '{key}' has shape {src.ShapeStr} in the state dict but {dst.ShapeStr} in {m.GetName()}.");
            if (src.dt != dst.dt)
                throw new ArgumentException($"load_state_dict{ctx}: key '{key}' has dtype {src.dt} in the state dict but {dst.dt} in {m.GetName()}.");
        }
        using (no_grad())
        {
            foreach (var (key, dst) in target)
            {
                if (!source.TryGetValue(key, out var src) || (skip is not null && skip.Contains(key))) continue;
                if (!ReferenceEquals(src, dst)) dst.WriteFrom(src, "load_state_dict");
            }
        }
        return (missing, unexpected);
    }
}
