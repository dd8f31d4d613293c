using Course.Notebooks.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Course.Notebooks.Grading;

/// <summary>
/// A script cell can redeclare any name an earlier cell declared (a later <c>void Check(bool ok, string s) {}</c>
/// silently replaces the instructor's helper). So a test is not scored when a student cell declares, at the top
/// level, a name the test uses that the exercise does not ask students to declare (the names the instructor's own
/// solution cells declare). A syntax check: it sees declarations, not what reflection does at run time.
/// </summary>
public static class NameGuard
{
    private static readonly CSharpParseOptions Script = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Preview);

    /// <summary>Instructor test cell index -> why it is not scored; empty when no test is affected.</summary>
    public static IReadOnlyDictionary<int, string> Check(Exercise exercise, MergedNotebook merged)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in exercise.SolutionCells) allowed.UnionWith(TopLevelDeclarations(exercise.Notebook.Cells[i].Source));

        // Every name a student cell declares, with the first cell (numbered in the graded notebook) that does.
        var declaredBy = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var index in merged.StudentCells.Order())
        {
            var cell = merged.Notebook.Cells[index];
            if (cell.Type != CellType.Code) continue;
            foreach (var name in TopLevelDeclarations(cell.Source))
                if (!allowed.Contains(name)) declaredBy.TryAdd(name, index);
        }
        var blocked = new Dictionary<int, string>();
        if (declaredBy.Count == 0) return blocked;
        foreach (var test in exercise.Tests)
        {
            int at = merged.TestCells[test.Index];
            var clash = UsedNames(exercise.Notebook.Cells[test.Index].Source)
                .Where(n => declaredBy.TryGetValue(n, out var cell) && cell < at)
                .Order(StringComparer.Ordinal).ToList();
            if (clash.Count > 0)
                blocked[test.Index] = $"not scored: cell {declaredBy[clash[0]] + 1} declares '{string.Join("', '", clash)}', which this test uses; "
                    + "a submission must not redefine the names the tests rely on";
        }
        return blocked;
    }

    /// <summary>Names a cell declares at the top level of the script: variables, methods, properties, types, aliases.</summary>
    internal static IEnumerable<string> TopLevelDeclarations(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, Script).GetCompilationUnitRoot();
        foreach (var u in root.Usings)
            if (u.Alias is { } alias) yield return alias.Name.Identifier.ValueText;
        foreach (var member in root.Members)
        {
            switch (member)
            {
                case GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax f }:
                    yield return f.Identifier.ValueText;
                    break;
                case GlobalStatementSyntax global:
                    // Top-level variables (also `out var` and pattern variables) become fields of the script.
                    foreach (var node in global.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BlockSyntax)))
                    {
                        if (node is VariableDeclaratorSyntax v) yield return v.Identifier.ValueText;
                        else if (node is SingleVariableDesignationSyntax d) yield return d.Identifier.ValueText;
                    }
                    break;
                case MethodDeclarationSyntax m: yield return m.Identifier.ValueText; break;
                case PropertyDeclarationSyntax p: yield return p.Identifier.ValueText; break;
                case BaseTypeDeclarationSyntax t: yield return t.Identifier.ValueText; break;
                case DelegateDeclarationSyntax d: yield return d.Identifier.ValueText; break;
                case BaseFieldDeclarationSyntax f:
                    foreach (var v in f.Declaration.Variables) yield return v.Identifier.ValueText;
                    break;
            }
        }
    }

    /// <summary>Simple names a cell uses (not after a dot), less those it declares itself.</summary>
    internal static IReadOnlySet<string> UsedNames(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, Script).GetCompilationUnitRoot();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in root.DescendantNodes())
        {
            switch (node)
            {
                case SimpleNameSyntax name when !IsQualified(name) && !(name is IdentifierNameSyntax { IsVar: true }):
                    used.Add(name.Identifier.ValueText);
                    break;
                case VariableDeclaratorSyntax v: own.Add(v.Identifier.ValueText); break;
                case SingleVariableDesignationSyntax d: own.Add(d.Identifier.ValueText); break;
                case ParameterSyntax p: own.Add(p.Identifier.ValueText); break;
                case ForEachStatementSyntax f: own.Add(f.Identifier.ValueText); break;
                case LocalFunctionStatementSyntax f: own.Add(f.Identifier.ValueText); break;
                case MethodDeclarationSyntax m: own.Add(m.Identifier.ValueText); break;
                case BaseTypeDeclarationSyntax t: own.Add(t.Identifier.ValueText); break;
            }
        }
        used.ExceptWith(own);
        return used;
    }

    private static bool IsQualified(SimpleNameSyntax name) => name.Parent switch
    {
        MemberAccessExpressionSyntax access => access.Name == name,
        QualifiedNameSyntax qualified => qualified.Right == name,
        MemberBindingExpressionSyntax => true,
        AliasQualifiedNameSyntax alias => alias.Name == name,
        NameColonSyntax or NameEqualsSyntax => true, // argument and initializer names
        _ => false,
    };
}
