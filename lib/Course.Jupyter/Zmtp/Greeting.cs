using System.Text;

namespace Course.Jupyter.Zmtp;

/// <summary>
/// The 64-byte ZMTP 3 greeting: signature (0xFF, 8 bytes padding, 0x7F), version major.minor,
/// a 20-byte zero-padded mechanism name, the as-server flag and 31 bytes of filler.
/// </summary>
public sealed record Greeting(byte Major, byte Minor, string Mechanism, bool AsServer)
{
    public const int Size = 64;
    public const int SignatureSize = 10;
    private const int MechanismOffset = 12;
    private const int MechanismSize = 20;
    private const int AsServerOffset = 32;

    /// <summary>Our greeting: ZMTP 3.1 with the NULL mechanism (as-server is 0 for NULL on both sides).</summary>
    public static Greeting Null { get; } = new(3, 1, "NULL", false);

    public byte[] Encode()
    {
        var bytes = new byte[Size];
        bytes[0] = 0xFF;
        bytes[9] = 0x7F;
        bytes[10] = Major;
        bytes[11] = Minor;
        var name = Encoding.ASCII.GetBytes(Mechanism);
        if (name.Length > MechanismSize) throw new ArgumentException($"mechanism name '{Mechanism}' is longer than {MechanismSize} bytes");
        name.CopyTo(bytes, MechanismOffset);
        bytes[AsServerOffset] = AsServer ? (byte)1 : (byte)0;
        return bytes;
    }

    /// <summary>Checks the first 10 bytes, so a non-ZMTP peer (an HTTP client, garbage) is refused at once.</summary>
    public static void ValidateSignature(ReadOnlySpan<byte> signature)
    {
        if (signature.Length < SignatureSize) throw new ZmtpException($"greeting signature needs {SignatureSize} bytes, got {signature.Length}");
        if (signature[0] != 0xFF || (signature[9] & 0x01) != 0x01)
        {
            throw new ZmtpException($"not a ZMTP greeting: signature starts 0x{signature[0]:X2} and ends 0x{signature[9]:X2} (expected 0xFF ... 0x7F)");
        }
    }

    public static Greeting Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size) throw new ZmtpException($"greeting must be {Size} bytes, got {bytes.Length}");
        ValidateSignature(bytes);
        if (bytes[10] < 3) throw new ZmtpException($"peer speaks ZMTP {bytes[10]}.{bytes[11]}; only ZMTP 3.x is supported");
        var field = bytes.Slice(MechanismOffset, MechanismSize);
        int end = field.IndexOf((byte)0);
        var mechanism = Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
        return new Greeting(bytes[10], bytes[11], mechanism, bytes[AsServerOffset] == 1);
    }
}
