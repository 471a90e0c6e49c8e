using System.Collections.Immutable;
using System.Linq;
using DeclCnn.Generators.Diagnostics;
using DeclCnn.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DeclCnn.Generators;

/// <summary>
/// Reports DCNN0003 on a class that declares layers but is neither a model (<c>[Input]</c>) nor a block
/// (<c>[Block]</c>). An analyzer, not a generator step: the generator would need one attribute provider
/// per layer kind, and each of them re-binds every model's attributes on every edit.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MissingInputAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.InputMissing);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            // Only in projects that reference the DSL.
            if (start.Compilation.GetTypeByMetadataName(MetadataNames.LayerAttribute) is not null)
            {
                start.RegisterSymbolAction(Analyze, SymbolKind.NamedType);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context)
    {
        if (context.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } symbol)
        {
            return;
        }

        var attributes = symbol.GetAttributes();
        var first = attributes.FirstOrDefault(static a => ModelParser.IsLayerAttribute(a.AttributeClass));
        if (first is null
            || attributes.Any(static a => MetadataNames.Is(a.AttributeClass, MetadataNames.InputAttribute) || MetadataNames.Is(a.AttributeClass, MetadataNames.BlockAttribute))
            // While an attribute is half-typed (it may be the [Input] being written), the compiler's error comes first.
            || attributes.Any(a => ModelParser.IsHalfTyped(a, context.CancellationToken)))
        {
            return;
        }

        // On the name of the declaration (of a partial class) that holds the first layer.
        if (first.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } declaration)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InputMissing, declaration.Identifier.GetLocation(), symbol.Name));
        }
    }
}
