using System.Text.Json.Nodes;
using Course.Notebooks.Execution;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Course.Notebooks.Kernel;

/// <summary>
/// is_complete, complete and inspect through Roslyn: the cell is compiled (not run) on top of the session's state,
/// so completions know the variables and types of the cells that ran.
/// </summary>
internal static class KernelIntrospection
{
    private static readonly CSharpParseOptions ScriptParse = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest);

    public static JsonObject IsComplete(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, ScriptParse);
        if (SyntaxFactory.IsCompleteSubmission(tree)) return new JsonObject { ["status"] = "complete" };
        return new JsonObject { ["status"] = "incomplete", ["indent"] = "    " };
    }

    public static JsonObject Complete(NotebookSession session, string code, int cursorCodePoints)
    {
        int cursor = CodePoints.ToUtf16(code, cursorCodePoints);
        var (compilation, tree) = session.CompileForTooling(code);
        var model = compilation.GetSemanticModel(tree);
        var root = tree.GetRoot();

        // The word being typed ends at the cursor.
        int start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_')) start--;
        var prefix = code[start..cursor];

        IEnumerable<ISymbol> symbols;
        if (start > 0 && code[start - 1] == '.' && MemberTarget(root, start - 1) is { } target)
        {
            var symbol = model.GetSymbolInfo(target).Symbol;
            if (symbol is INamespaceOrTypeSymbol container and (INamespaceSymbol or INamedTypeSymbol) && target is not InvocationExpressionSyntax)
                symbols = model.LookupStaticMembers(start, container).Concat(container is INamespaceSymbol ns ? ns.GetMembers() : []);
            else if (model.GetTypeInfo(target).Type is { } type)
                symbols = model.LookupSymbols(start, type, includeReducedExtensionMethods: true).Where(s => !s.IsStatic || s is IMethodSymbol { MethodKind: MethodKind.ReducedExtension });
            else
                symbols = [];
        }
        else
        {
            symbols = model.LookupSymbols(start);
        }

        var matches = symbols
            .Where(s => s.CanBeReferencedByName && !s.Name.StartsWith('<'))
            .Select(s => s.Name)
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(n => !n.StartsWith(prefix, StringComparison.Ordinal))
            .ThenBy(n => n, StringComparer.Ordinal)
            .Take(500)
            .ToList();
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(matches.Select(m => (JsonNode)m).ToArray()),
            ["cursor_start"] = CodePoints.FromUtf16(code, start),
            ["cursor_end"] = cursorCodePoints,
            ["metadata"] = new JsonObject(),
        };
    }

    public static JsonObject Inspect(NotebookSession session, string code, int cursorCodePoints)
    {
        int cursor = CodePoints.ToUtf16(code, cursorCodePoints);
        var (compilation, tree) = session.CompileForTooling(code);
        var model = compilation.GetSemanticModel(tree);
        var root = tree.GetRoot();
        var token = root.FindToken(Math.Max(0, Math.Min(cursor, code.Length) - (cursor > 0 && (cursor == code.Length || !char.IsLetterOrDigit(code[cursor])) ? 1 : 0)));
        ISymbol? symbol = null;
        for (var node = token.Parent; node is not null && symbol is null; node = node.Parent)
        {
            symbol = model.GetSymbolInfo(node).Symbol ?? model.GetSymbolInfo(node).CandidateSymbols.FirstOrDefault() ?? model.GetDeclaredSymbol(node);
            if (node is StatementSyntax) break;
        }
        if (symbol is null) return new JsonObject { ["status"] = "ok", ["found"] = false, ["data"] = new JsonObject(), ["metadata"] = new JsonObject() };
        var text = symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        var type = symbol switch
        {
            ILocalSymbol l => l.Type,
            IFieldSymbol f => f.Type,
            IPropertySymbol p => p.Type,
            IParameterSymbol p => p.Type,
            _ => null,
        };
        if (type is not null) text = $"{type.ToDisplayString()} {symbol.Name}";
        var doc = symbol.GetDocumentationCommentXml();
        if (!string.IsNullOrWhiteSpace(doc)) text += "\n\n" + doc.Trim();
        return new JsonObject
        {
            ["status"] = "ok",
            ["found"] = true,
            ["data"] = new JsonObject { ["text/plain"] = text },
            ["metadata"] = new JsonObject(),
        };
    }

    // The expression before the '.' at dotIndex: "x." parses as x.<missing>, whose Expression is x.
    private static ExpressionSyntax? MemberTarget(SyntaxNode root, int dotIndex)
    {
        var token = root.FindToken(dotIndex);
        return token.Parent switch
        {
            MemberAccessExpressionSyntax access => access.Expression,
            QualifiedNameSyntax qualified => qualified.Left,
            ConditionalAccessExpressionSyntax conditional => conditional.Expression,
            _ => null,
        };
    }
}

/// <summary>Jupyter counts cursor positions in Unicode code points; .NET strings index UTF-16 units.</summary>
internal static class CodePoints
{
    public static int ToUtf16(string text, int codePoints)
    {
        int i = 0;
        for (int n = 0; n < codePoints && i < text.Length; n++)
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
        return i;
    }

    public static int FromUtf16(string text, int index)
    {
        int n = 0;
        for (int i = 0; i < index && i < text.Length; i++, n++)
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length) i++;
        return n;
    }
}
