using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using DeclCnn.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace DeclCnn.CodeFixes;

/// <summary>DCNN0019: inserts <c>Flatten</c> just before a dense layer that receives a feature map.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFix)), Shared]
public sealed class InsertFlattenCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.DenseOnFeatureMap.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<AttributeSyntax>() is not { Parent: AttributeListSyntax list } dense)
        {
            return;
        }

        const string title = "Insert Flatten before the dense layer";
        context.RegisterCodeFix(
            CodeAction.Create(title, _ =>
            {
                var flatten = Attribute(IdentifierName("Flatten")).WithLeadingTrivia(dense.GetLeadingTrivia());
                var attributes = list.Attributes.Insert(list.Attributes.IndexOf(dense), flatten);
                return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(list, list.WithAttributes(attributes))));
            }, title),
            context.Diagnostics);
    }
}
