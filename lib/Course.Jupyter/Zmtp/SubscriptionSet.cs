namespace Course.Jupyter.Zmtp;

/// <summary>
/// One subscriber's topic prefixes, counted like libzmq's trie: subscribing twice needs two cancels.
/// An empty prefix matches every message.
/// </summary>
public sealed class SubscriptionSet
{
    private readonly Dictionary<string, (byte[] Prefix, int Count)> _prefixes = new();
    private readonly Lock _lock = new();

    public int Count { get { lock (_lock) return _prefixes.Count; } }

    public void Add(byte[] prefix)
    {
        var key = Convert.ToHexString(prefix);
        lock (_lock) _prefixes[key] = _prefixes.TryGetValue(key, out var entry) ? (prefix, entry.Count + 1) : (prefix, 1);
    }

    /// <summary>Removes one subscription to the prefix; false if there was none.</summary>
    public bool Remove(byte[] prefix)
    {
        var key = Convert.ToHexString(prefix);
        lock (_lock)
        {
            if (!_prefixes.TryGetValue(key, out var entry)) return false;
            if (entry.Count > 1) _prefixes[key] = (entry.Prefix, entry.Count - 1);
            else _prefixes.Remove(key);
            return true;
        }
    }

    public bool Matches(ReadOnlySpan<byte> topic)
    {
        lock (_lock)
        {
            foreach (var (prefix, _) in _prefixes.Values)
            {
                if (topic.StartsWith(prefix)) return true;
            }
            return false;
        }
    }
}
