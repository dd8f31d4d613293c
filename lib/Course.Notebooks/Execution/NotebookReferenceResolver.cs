using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace Course.Notebooks.Execution;

/// <summary>
/// Resolves #r relative to the notebook's folder, and a referenced assembly's own dependencies from the folder it
/// sits in (Course.Lab.dll finds MathNet.Numerics.dll beside it), at compile time.
/// </summary>
internal sealed class NotebookReferenceResolver(string baseDirectory) : MetadataReferenceResolver
{
    private static readonly ConcurrentDictionary<string, PortableExecutableReference> ReferenceCache = new();

    private readonly ScriptMetadataResolver _inner = ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory);

    public string BaseDirectory { get; } = baseDirectory;

    public override bool ResolveMissingAssemblies => true;

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties)
    {
        var resolved = _inner.ResolveReference(reference, baseFilePath, properties);
        foreach (var r in resolved)
            if (r.FilePath is { } path) AssemblyProbing.AddDirectory(Path.GetDirectoryName(path)!);
        return resolved;
    }

    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity)
    {
        if (definition is PortableExecutableReference { FilePath: { } definitionPath })
        {
            var sibling = Path.Combine(Path.GetDirectoryName(definitionPath)!, referenceIdentity.Name + ".dll");
            if (File.Exists(sibling))
                return ReferenceCache.GetOrAdd(sibling, p => MetadataReference.CreateFromFile(p));
        }
        return _inner.ResolveMissingAssembly(definition, referenceIdentity);
    }

    public override bool Equals(object? other) => other is NotebookReferenceResolver r && r.BaseDirectory == BaseDirectory;

    public override int GetHashCode() => BaseDirectory.GetHashCode(StringComparison.Ordinal);
}
