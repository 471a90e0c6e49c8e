using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeclCnn.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace DeclCnn.CodeFixes;

/// <summary>
/// DCNN0030, where a residual body shrinks the feature map: pads the first convolution of the body that
/// loses rows and columns (padding below half its dilated kernel) so that it keeps the size, as the
/// shortcut does. Not offered when no convolution of the body shrinks (the fix is then elsewhere).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PadShrinkingConvCodeFix)), Shared]
public sealed class PadShrinkingConvCodeFix : CodeFixProvider
{
    private const string ConvAttribute = "DeclCnn.ConvAttribute";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.ResidualBranchesDiffer.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<AttributeSyntax>() is not { } join || model is null
            || join.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } block
            || FirstShrinkingConv(model, block, join, context.CancellationToken) is not { } found)
        {
            return;
        }

        var (conv, padding) = found;
        var title = $"Pad {conv} with Padding = {padding}";
        context.RegisterCodeFix(
            CodeAction.Create(title, _ =>
            {
                var value = ParseExpression(padding);
                var existing = conv.ArgumentList?.Arguments.FirstOrDefault(static a => a.NameEquals?.Name.Identifier.ValueText == "Padding");
                var changed = existing is not null
                    ? root.ReplaceNode(existing.Expression, value.WithTriviaFrom(existing.Expression))
                    : root.ReplaceNode(conv, conv.AddArgumentListArguments(AttributeArgument(NameEquals(IdentifierName("Padding")), null, value)));
                return Task.FromResult(context.Document.WithSyntaxRoot(changed));
            }, nameof(PadShrinkingConvCodeFix)),
            context.Diagnostics);
    }

    /// <summary>The body's first convolution, before the join, whose explicit padding loses size; and the padding that keeps it.</summary>
    private static (AttributeSyntax Conv, string Padding)? FirstShrinkingConv(SemanticModel model, TypeDeclarationSyntax block, AttributeSyntax join, CancellationToken cancellationToken)
    {
        foreach (var attribute in block.AttributeLists.SelectMany(static l => l.Attributes).TakeWhile(a => a != join))
        {
            if (DeclarationSyntax.Bind(model, attribute, cancellationToken) is not { } bound || !DeclarationSyntax.Is(bound, ConvAttribute)
                || DeclarationSyntax.ConvSizes(bound) is not { } sizes)
            {
                continue;
            }

            var padding = bound.NamedArguments.FirstOrDefault(static a => a.Key == "Padding").Value;
            var (height, width) = padding.IsNull ? (0, 0)
                : padding.Value is int p ? (p, p)
                : padding.Kind == TypedConstantKind.Array && padding.Values.Length == 2 && padding.Values.All(static v => v.Value is int) ? ((int)padding.Values[0].Value!, (int)padding.Values[1].Value!)
                : (-1, -1);

            // A string ("same", "valid") or an argument written with block parameters is the user's choice.
            var written = attribute.ArgumentList?.Arguments.FirstOrDefault(static a => a.NameEquals?.Name.Identifier.ValueText == "Padding");
            if (height < 0 || (written is not null && written.Expression is not (LiteralExpressionSyntax or ImplicitArrayCreationExpressionSyntax or ArrayCreationExpressionSyntax)))
            {
                continue;
            }

            var keepHeight = sizes.DilationHeight * (sizes.KernelHeight - 1) / 2;
            var keepWidth = sizes.DilationWidth * (sizes.KernelWidth - 1) / 2;
            if (height < keepHeight || width < keepWidth)
            {
                return (attribute, DeclarationSyntax.WriteSize(System.Math.Max(height, keepHeight), System.Math.Max(width, keepWidth)));
            }
        }

        return null;
    }
}
