namespace Course.Jupyter.Zmtp;

/// <summary>The ZMTP socket types (RFC 37), as announced in the READY command's Socket-Type property.</summary>
public enum ZmtpSocketType { Pair, Pub, Sub, Req, Rep, Dealer, Router, Pull, Push, XPub, XSub }

public static class ZmtpSocketTypes
{
    /// <summary>The name on the wire: "ROUTER", "XPUB", ...</summary>
    public static string WireName(this ZmtpSocketType type) => type.ToString().ToUpperInvariant();

    public static bool TryParse(string name, out ZmtpSocketType type)
    {
        foreach (var candidate in Enum.GetValues<ZmtpSocketType>())
        {
            if (candidate.WireName() == name) { type = candidate; return true; }
        }
        type = default;
        return false;
    }

    /// <summary>The valid combinations from RFC 37 (symmetric): anything else is refused at READY.</summary>
    public static bool IsCompatible(ZmtpSocketType local, ZmtpSocketType peer) => Allows(local, peer) || Allows(peer, local);

    private static bool Allows(ZmtpSocketType a, ZmtpSocketType b) => (a, b) switch
    {
        (ZmtpSocketType.Req, ZmtpSocketType.Rep or ZmtpSocketType.Router) => true,
        (ZmtpSocketType.Dealer, ZmtpSocketType.Rep or ZmtpSocketType.Router or ZmtpSocketType.Dealer) => true,
        (ZmtpSocketType.Router, ZmtpSocketType.Router) => true,
        (ZmtpSocketType.Pub or ZmtpSocketType.XPub, ZmtpSocketType.Sub or ZmtpSocketType.XSub) => true,
        (ZmtpSocketType.Push, ZmtpSocketType.Pull) => true,
        (ZmtpSocketType.Pair, ZmtpSocketType.Pair) => true,
        _ => false,
    };
}
