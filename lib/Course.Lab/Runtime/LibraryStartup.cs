using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Course.Shared;

namespace Course.Lab;

internal static class LibraryStartup
{
    // A notebook that loads Course.Lab in a host we do not control (.NET Interactive) still gets the allocator
    // settings before its first training step, and Plotly.NET charts that load and display offline.
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Process-wide allocator tuning must precede the first tensor; see GlibcMalloc.")]
    internal static void Initialize()
    {
        GlibcMalloc.TuneForTensors();
        ChartRegistration.Initialize();
    }
}
