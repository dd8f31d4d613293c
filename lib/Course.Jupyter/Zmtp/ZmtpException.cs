namespace Course.Jupyter.Zmtp;

/// <summary>A ZMTP protocol violation or transport failure, with a message naming what failed and where.</summary>
public sealed class ZmtpException : Exception
{
    public ZmtpException(string message) : base(message) { }
    public ZmtpException(string message, Exception inner) : base(message, inner) { }
}
