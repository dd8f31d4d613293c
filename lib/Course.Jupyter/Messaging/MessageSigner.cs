using System.Security.Cryptography;
using System.Text;

namespace Course.Jupyter.Messaging;

/// <summary>
/// HMAC-SHA256 over header, parent header, metadata and content (in that order), as lowercase hex.
/// An empty key turns signing off: the signature frame is empty and is not checked.
/// </summary>
public sealed class MessageSigner
{
    public const string Scheme = "hmac-sha256";
    private readonly byte[] _key;

    public MessageSigner(string key, string scheme = Scheme)
    {
        if (key.Length > 0 && scheme != Scheme) throw new ArgumentException($"signature scheme '{scheme}' is not supported (only {Scheme})", nameof(scheme));
        _key = Encoding.UTF8.GetBytes(key);
    }

    public bool Enabled => _key.Length > 0;

    /// <summary>The signature of the four JSON frames; empty when signing is off.</summary>
    public string Sign(byte[] header, byte[] parentHeader, byte[] metadata, byte[] content)
    {
        if (!Enabled) return "";
        return Convert.ToHexStringLower(Digest(header, parentHeader, metadata, content));
    }

    /// <summary>Compares in constant time so timing reveals nothing about the expected signature.</summary>
    public bool Verify(ReadOnlySpan<byte> signature, byte[] header, byte[] parentHeader, byte[] metadata, byte[] content)
    {
        if (!Enabled) return true;
        var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(Digest(header, parentHeader, metadata, content)));
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }

    private byte[] Digest(byte[] header, byte[] parentHeader, byte[] metadata, byte[] content)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(header);
        hmac.AppendData(parentHeader);
        hmac.AppendData(metadata);
        hmac.AppendData(content);
        return hmac.GetHashAndReset();
    }
}
