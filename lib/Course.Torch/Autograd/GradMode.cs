namespace Course.Torch;

/// <summary>Global autograd switches. Process-wide (not per thread) so notebook cells behave predictably.</summary>
internal static class GradMode
{
    public static bool Enabled = true;
    public static bool Anomaly;
}

public static partial class torch
{
    /// <summary>Restores the previous grad mode when disposed.</summary>
    public sealed class GradModeScope : IDisposable
    {
        readonly bool previous;
        bool disposed;
        internal GradModeScope(bool enabled) { previous = GradMode.Enabled; GradMode.Enabled = enabled; }
        public void Dispose() { if (!disposed) { GradMode.Enabled = previous; disposed = true; } }
    }

    /// <summary><c>using (torch.no_grad()) { ... }</c>: ops inside record no graph.</summary>
    public static GradModeScope no_grad() => new(false);
    public static GradModeScope enable_grad() => new(true);
    public static GradModeScope set_grad_enabled(bool enabled = true) => new(enabled);
    public static GradModeScope inference_mode(bool mode = true) => new(!mode);
    public static bool is_grad_enabled() => GradMode.Enabled;

    /// <summary>Anomaly mode: names the first op whose output or gradient holds NaN or Inf.</summary>
    public static void set_anomaly_enabled(bool enabled) => GradMode.Anomaly = enabled;
    public static bool is_anomaly_enabled() => GradMode.Anomaly;

    public static partial class autograd
    {
        public sealed class AnomalyScope : IDisposable
        {
            readonly bool previous;
            internal AnomalyScope(bool on) { previous = GradMode.Anomaly; GradMode.Anomaly = on; }
            public void Dispose() => GradMode.Anomaly = previous;
        }

        public static AnomalyScope detect_anomaly(bool check_nan = true) => new(check_nan);
        public static AnomalyScope set_detect_anomaly(bool mode) => new(mode);
    }
}
