using Course.Notebooks.Execution;
using Course.Notebooks.Model;

namespace Course.Notebooks.Kernel;

/// <summary>
/// Test mode for the kernel (COURSE_MODE=test). A kernel never sees cell tags, so it recognizes the parameters cell
/// by its source: when an executed cell's code equals the cell tagged "parameters" of the notebook (COURSE_NOTEBOOK,
/// or any *.ipynb in the working directory), the notebook's course.test_parameters run right after it, in the same
/// execute request, exactly as the runner's injected-parameters cell would.
/// </summary>
internal sealed class TestProfileInjector
{
    private readonly List<(string ParametersSource, string Injected, string Notebook)> _profiles = [];

    public TestProfileInjector(KernelOptions options, Action<string> log)
    {
        var candidates = options.NotebookPath is { } path
            ? [path]
            : Directory.Exists(options.WorkingDirectory)
                ? Directory.GetFiles(options.WorkingDirectory, "*.ipynb").Order(StringComparer.Ordinal).ToArray()
                : [];
        foreach (var file in candidates)
        {
            try
            {
                var notebook = NotebookFile.Read(file);
                var profile = NotebookParameters.TestProfile(notebook, file);
                if (profile.Count == 0) continue;
                var parameters = notebook.Cells.FirstOrDefault(c => c.Type == CellType.Code && c.HasTag(NotebookParameters.ParametersTag));
                if (parameters is null) continue;
                var injected = NotebookParameters.Inject(notebook, file, profile)!;
                _profiles.Add((Cell.NormalizeSource(parameters.Source), injected.Source, file));
            }
            catch (Exception e) when (e is NotebookFormatException or ParameterException or IOException)
            {
                log($"test mode: {file}: {e.Message}");
            }
        }
        log($"test mode: {_profiles.Count} notebook profile(s) from {string.Join(", ", _profiles.Select(p => Path.GetFileName(p.Notebook)))}");
    }

    public int Count => _profiles.Count;

    /// <summary>The injected-parameters code to run after <paramref name="code"/>, or null when it is not a parameters cell.</summary>
    public (string Code, string Notebook)? After(string code)
    {
        var normalized = Cell.NormalizeSource(code);
        foreach (var profile in _profiles)
            if (profile.ParametersSource == normalized) return (profile.Injected, profile.Notebook);
        return null;
    }
}
