using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using DeclCnn.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace DeclCnn.CodeFixes;

/// <summary>DCNN0001: adds <c>partial</c> to the model or block class.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix)), Shared]
public sealed class MakePartialCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.ModelClassNotPartial.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindToken(context.Span.Start).Parent is not ClassDeclarationSyntax declaration)
        {
            return;
        }

        const string title = "Make the class partial";
        context.RegisterCodeFix(
            CodeAction.Create(title, async cancellationToken =>
            {
                var editor = await DocumentEditor.CreateAsync(context.Document, cancellationToken).ConfigureAwait(false);
                var modifiers = editor.Generator.GetModifiers(declaration).WithPartial(true);
                editor.ReplaceNode(declaration, editor.Generator.WithModifiers(declaration, modifiers));
                return editor.GetChangedDocument();
            }, title),
            context.Diagnostics);
    }
}
