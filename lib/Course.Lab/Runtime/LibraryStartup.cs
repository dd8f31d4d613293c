using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Course.Shared;

namespace Course.Lab;

internal static class LibraryStartup
{
    // A notebook that loads Course.Lab in a host we do not control (.NET Interactive) still gets the allocator and
    // OpenMP settings (provided Course.Lab is touched before the first tensor), and Plotly.NET charts that load and
    // display offline.
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Process-wide native settings must precede the first tensor; see NativeTuning.")]
    internal static void Initialize()
    {
        NativeTuning.Apply();
        ChartRegistration.Initialize();
    }
}
