using System.Linq;
using DeclCnn.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DeclCnn.Generators.Parsing;

/// <summary>
/// Reads an attribute argument such as <c>Block.Channels * 4</c> from its syntax: the constant
/// the compiler folded is only a placeholder, so the expression itself is kept and evaluated for
/// each use of the block.
/// </summary>
internal static class BlockExpressionReader
{
    /// <summary>The most operators an expression over block parameters may have.</summary>
    public const int MaxOperators = 256;

    /// <summary>Whether the argument may mention a block parameter: a syntax-only test, for attributes that need no semantic model at all.</summary>
    public static bool MayMentionBlockParameter(ExpressionSyntax expression) =>
        expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(static identifier => identifier.Identifier.ValueText is nameof(Block.Channels) or nameof(Block.Stride));

    /// <summary>Whether the argument mentions a block parameter at all.</summary>
    public static bool MentionsBlockParameter(ExpressionSyntax expression, SemanticModel model) =>
        expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(identifier => IsBlockParameter(identifier, model, out _));

    /// <summary>The expression over block parameters, or null when it uses anything else that is not a constant.</summary>
    public static IntExpression? Read(ExpressionSyntax expression, SemanticModel model)
    {
        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return Read(parenthesized.Expression, model);
            case BinaryExpressionSyntax binary when Operator(binary.Kind()) is { } op:
                return Read(binary.Left, model) is { } left && Read(binary.Right, model) is { } right ? new BinaryExpression(op, left, right) : null;
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } negation:
                return Read(negation.Operand, model) is { } operand ? new BinaryExpression('-', new ConstantExpression(0), operand) : null;
            case MemberAccessExpressionSyntax { Name: IdentifierNameSyntax name } when IsBlockParameter(name, model, out var parameter):
                return new ParameterExpression(parameter!);
            case IdentifierNameSyntax identifier when IsBlockParameter(identifier, model, out var parameter):
                return new ParameterExpression(parameter!);
            default:
                // The compiler folds (int)Block.Channels or Block.Channels % 2 into a constant of the
                // placeholder values: only a constant that mentions no block parameter is one.
                return !MentionsBlockParameter(expression, model) && model.GetConstantValue(expression) is { HasValue: true, Value: int value }
                    ? new ConstantExpression(value)
                    : null;
        }
    }

    private static char? Operator(SyntaxKind kind) => kind switch
    {
        SyntaxKind.AddExpression => '+',
        SyntaxKind.SubtractExpression => '-',
        SyntaxKind.MultiplyExpression => '*',
        SyntaxKind.DivideExpression => '/',
        _ => null,
    };

    private static bool IsBlockParameter(IdentifierNameSyntax identifier, SemanticModel model, out string? parameter)
    {
        parameter = identifier.Identifier.ValueText switch
        {
            nameof(Block.Channels) => ParameterExpression.Channels,
            nameof(Block.Stride) => ParameterExpression.Stride,
            _ => null,
        };
        return parameter is not null
            && model.GetSymbolInfo(identifier).Symbol is IFieldSymbol { ContainingType: { } type }
            && MetadataNames.Is(type, MetadataNames.BlockParameters);
    }
}
