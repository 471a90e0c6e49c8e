using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using DeclCnn.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace DeclCnn.CodeFixes;

/// <summary>
/// DCNN0003: adds <c>[Input(1, 28, 28)]</c> above the layers, a placeholder to edit: the input's size cannot be
/// guessed from the layers. Offered also as <c>[Block]</c> for a class meant to be reused in stages.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddInputCodeFix)), Shared]
public sealed class AddInputCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.InputMissing.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindToken(context.Span.Start).Parent is not TypeDeclarationSyntax declaration)
        {
            return;
        }

        Register(context, root, declaration, "Add [Input(channels, height, width)]", Attribute(IdentifierName("Input"), ParseAttributeArgumentList("(1, 28, 28)")));
        Register(context, root, declaration, "Make it a [Block]", Attribute(IdentifierName("Block")));
    }

    private static void Register(CodeFixContext context, SyntaxNode root, TypeDeclarationSyntax declaration, string title, AttributeSyntax attribute)
    {
        context.RegisterCodeFix(
            CodeAction.Create(title, _ =>
            {
                var list = AttributeList(SingletonSeparatedList(attribute));
                var lists = declaration.AttributeLists;
                var first = lists[0];

                // The new list takes the first one's place (and its leading comments), which moves down a line.
                var updated = lists
                    .Replace(first, first.WithLeadingTrivia(first.GetLeadingTrivia().Where(static t => t.IsKind(SyntaxKind.WhitespaceTrivia))))
                    .Insert(0, list.WithLeadingTrivia(first.GetLeadingTrivia()).WithTrailingTrivia(first.GetTrailingTrivia()));
                var changed = root.ReplaceNode(declaration, declaration.WithAttributeLists(updated));
                return Task.FromResult(context.Document.WithSyntaxRoot(changed));
            }, title),
            context.Diagnostics);
    }
}
