using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using DeclCnn.Generators.Diagnostics;
using DeclCnn.Generators.Kinds;
using DeclCnn.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace DeclCnn.CodeFixes;

/// <summary>
/// Fixes a layer argument in place, on the argument the diagnostic points at:
/// DCNN0010 and DCNN0011, the nearest valid padding or upsampling mode ("smae" to "same");
/// DCNN0015, <c>"same"</c> with a stride to the explicit padding that keeps the size at stride 1;
/// DCNN0020, <c>InFeatures</c> removed, so that the dense layer infers it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReplaceArgumentCodeFix)), Shared]
public sealed class ReplaceArgumentCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.UnknownPadding.Id,
        DiagnosticDescriptors.UnknownUpsampleMode.Id,
        DiagnosticDescriptors.SamePaddingWithStride.Id,
        DiagnosticDescriptors.DenseInFeaturesMismatch.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span) is not { } node || node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is not { } argument)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Id == DiagnosticDescriptors.DenseInFeaturesMismatch.Id)
            {
                Register(context, diagnostic, "Remove InFeatures (infer it)", root, argument, replacement: null);
            }
            else if (argument.Expression is LiteralExpressionSyntax { Token.Value: string written }
                && Suggestions.Nearest(written, diagnostic.Id == DiagnosticDescriptors.UnknownPadding.Id ? PaddingSpec.Modes : UpsampleKind.Modes) is { } nearest)
            {
                Register(context, diagnostic, $"Use \"{nearest}\"", root, argument, LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(nearest)));
            }
            else if (diagnostic.Id == DiagnosticDescriptors.SamePaddingWithStride.Id
                && await ExplicitPaddingAsync(context.Document, argument, context.CancellationToken).ConfigureAwait(false) is { } padding)
            {
                Register(context, diagnostic, $"Use Padding = {padding}", root, argument, ParseExpression(padding));
            }
        }
    }

    /// <summary>What "same" pads at stride 1 on each side (the total rounded down to halves), as the DSL writes a size.</summary>
    private static async Task<string?> ExplicitPaddingAsync(Document document, AttributeArgumentSyntax argument, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || argument.FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute
            || DeclarationSyntax.Bind(model, attribute, cancellationToken) is not { } conv
            || DeclarationSyntax.ConvSizes(conv) is not { } sizes)
        {
            return null;
        }

        return DeclarationSyntax.WriteSize(sizes.DilationHeight * (sizes.KernelHeight - 1) / 2, sizes.DilationWidth * (sizes.KernelWidth - 1) / 2);
    }

    private static void Register(CodeFixContext context, Diagnostic diagnostic, string title, SyntaxNode root, AttributeArgumentSyntax argument, ExpressionSyntax? replacement)
    {
        context.RegisterCodeFix(
            CodeAction.Create(title, _ =>
            {
                var changed = replacement is null
                    ? root.RemoveNode(argument, SyntaxRemoveOptions.KeepNoTrivia)!
                    : root.ReplaceNode(argument.Expression, replacement.WithTriviaFrom(argument.Expression));
                return Task.FromResult(context.Document.WithSyntaxRoot(changed));
            }, equivalenceKey: diagnostic.Id),
            diagnostic);
    }
}
