namespace Course.Jupyter.Messaging;

/// <summary>The five Jupyter channels: shell, control and stdin are ROUTER, iopub is PUB, heartbeat is REP.</summary>
public enum JupyterChannel { Shell, Control, Stdin, IOPub, Heartbeat }
