using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Notebooks.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Course.Notebooks.Execution;

/// <summary>
/// Papermill-style parameters: the cell tagged "parameters" declares defaults; overrides become a cell tagged
/// "injected-parameters" placed right after it, each value typed like its declaration (int, long, double, float,
/// bool, string). The notebook's test profile lives in its metadata at course.test_parameters.
/// </summary>
public static class NotebookParameters
{
    public const string ParametersTag = "parameters";
    public const string InjectedTag = "injected-parameters";

    /// <summary>The small profile for --mode test: notebook metadata <c>"course": {"test_parameters": {...}}</c>.</summary>
    public static IReadOnlyDictionary<string, string> TestProfile(Notebook notebook, string notebookName)
    {
        var profile = new Dictionary<string, string>(StringComparer.Ordinal);
        if (notebook.Metadata["course"] is not JsonObject course || course["test_parameters"] is not { } node) return profile;
        if (node is not JsonObject parameters)
            throw new ParameterException($"{notebookName}: metadata course.test_parameters must be an object of name: value");
        foreach (var (name, value) in parameters)
        {
            profile[name] = value switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
                _ => throw new ParameterException($"{notebookName}: metadata course.test_parameters.{name} must be a number, bool or string"),
            };
        }
        return profile;
    }

    /// <summary>
    /// Replaces any earlier injected cell and, when there are overrides, inserts a new one after the parameters
    /// cell. Returns the injected cell, or null when there was nothing to inject.
    /// </summary>
    public static Cell? Inject(Notebook notebook, string notebookName, IReadOnlyDictionary<string, string> overrides)
    {
        notebook.Cells.RemoveAll(c => c.HasTag(InjectedTag));
        if (overrides.Count == 0) return null;

        int index = notebook.Cells.FindIndex(c => c.Type == CellType.Code && c.HasTag(ParametersTag));
        if (index < 0)
            throw new ParameterException(
                $"{notebookName}: cannot set {string.Join(", ", overrides.Keys)}: no code cell is tagged '{ParametersTag}'");
        var declared = Declarations(notebook.Cells[index].Source);

        var source = new StringBuilder("// Parameters injected by the runner.\n");
        foreach (var (name, text) in overrides)
        {
            if (!declared.TryGetValue(name, out var type))
                throw new ParameterException(
                    $"{notebookName}: parameter '{name}' is not declared in the parameters cell (cell {index + 1}); it declares: {string.Join(", ", declared.Keys)}");
            source.Append(type).Append(' ').Append(name).Append(" = ").Append(Literal(notebookName, name, type, text)).Append(";\n");
        }
        var cell = Cell.Code(source.ToString().TrimEnd('\n'), InjectedTag);
        notebook.Cells.Insert(index + 1, cell);
        return cell;
    }

    /// <summary>Top-level variables of a parameters cell and their C# type keyword ("?" when not injectable).</summary>
    public static IReadOnlyDictionary<string, string> Declarations(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script)).GetCompilationUnitRoot();
        var declarations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in root.Members)
        {
            var declaration = member switch
            {
                FieldDeclarationSyntax field => field.Declaration,
                GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax local } => local.Declaration,
                _ => null,
            };
            if (declaration is null) continue;
            foreach (var variable in declaration.Variables)
                declarations[variable.Identifier.ValueText] = TypeOf(declaration.Type, variable.Initializer?.Value);
        }
        return declarations;
    }

    private static readonly string[] Injectable = ["int", "long", "double", "float", "bool", "string"];

    private static string TypeOf(TypeSyntax type, ExpressionSyntax? initializer)
    {
        if (type is PredefinedTypeSyntax predefined)
            return Injectable.Contains(predefined.Keyword.ValueText) ? predefined.Keyword.ValueText : "?";
        if (!type.IsVar) return "?";
        // var: the literal decides, as the compiler would.
        var literal = initializer is PrefixUnaryExpressionSyntax { Operand: LiteralExpressionSyntax negated } ? negated : initializer as LiteralExpressionSyntax;
        return literal?.Token.Value switch
        {
            int => "int",
            long => "long",
            double => "double",
            float => "float",
            bool => "bool",
            string => "string",
            _ => "?",
        };
    }

    private static string Literal(string notebookName, string name, string type, string text)
    {
        var invariant = CultureInfo.InvariantCulture;
        string? literal = type switch
        {
            "int" => int.TryParse(text, NumberStyles.Integer, invariant, out var i) ? i.ToString(invariant) : null,
            "long" => long.TryParse(text, NumberStyles.Integer, invariant, out var l) ? l.ToString(invariant) + "L" : null,
            "double" => double.TryParse(text, NumberStyles.Float, invariant, out var d) ? DoubleLiteral(d) : null,
            "float" => float.TryParse(text, NumberStyles.Float, invariant, out var f) ? FloatLiteral(f) : null,
            "bool" => bool.TryParse(text, out var b) ? (b ? "true" : "false") : null,
            "string" => SymbolDisplay.FormatLiteral(text, quote: true),
            _ => throw new ParameterException(
                $"{notebookName}: parameter '{name}' cannot be injected: declare it as int, long, double, float, bool or string (or with var and a literal)"),
        };
        return literal ?? throw new ParameterException($"{notebookName}: parameter '{name}' is declared {type}, and '{text}' is not a valid {type}");
    }

    private static string DoubleLiteral(double d) =>
        double.IsNaN(d) ? "double.NaN"
        : double.IsPositiveInfinity(d) ? "double.PositiveInfinity"
        : double.IsNegativeInfinity(d) ? "double.NegativeInfinity"
        : d.ToString("R", CultureInfo.InvariantCulture) is var s && (s.Contains('.') || s.Contains('E')) ? s : s + ".0";

    private static string FloatLiteral(float f) =>
        float.IsNaN(f) ? "float.NaN"
        : float.IsPositiveInfinity(f) ? "float.PositiveInfinity"
        : float.IsNegativeInfinity(f) ? "float.NegativeInfinity"
        : f.ToString("R", CultureInfo.InvariantCulture) + "f";
}

/// <summary>A parameter that cannot be applied; the message names the notebook and the parameter.</summary>
public sealed class ParameterException(string message) : Exception(message);
