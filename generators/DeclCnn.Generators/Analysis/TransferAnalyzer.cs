using System.Collections.Generic;
using System.Linq;
using DeclCnn.Generators.Diagnostics;
using DeclCnn.Generators.Model;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;

namespace DeclCnn.Generators.Analysis;

/// <summary>The layers a network reuses from its backbone, analysed in the backbone's declaration, and where <c>[Backbone]</c> is written.</summary>
internal sealed record BackbonePart(string MetadataName, string ClassName, EquatableArray<AnalyzedLayer> Layers, LocationInfo Location);

/// <summary>
/// Analyses a declaration that may start with another network's layers (<c>[Backbone]</c>): the backbone is analysed
/// as its own declaration is, its layers are cut after the named one, and the head is traced from there. A backbone
/// with errors reports them on itself; the network that uses it says so once, on its <c>[Backbone]</c>.
/// </summary>
internal static class TransferAnalyzer
{
    public static AnalysisResult Analyze(ResolvedDeclaration resolved, BlockLibrary blocks)
    {
        var declaration = resolved.Declaration;
        if (declaration.Backbone is not { } reference || !declaration.IsComplete || declaration.Diagnostics.Count > 0)
        {
            return ModelAnalyzer.Analyze(declaration, blocks);
        }

        if (resolved.IsInLoop)
        {
            return ModelAnalyzer.Failed(declaration, DiagnosticInfo.Create(BackboneUsesItself, reference.Location, declaration.ClassName, resolved.Loop));
        }

        // A backbone still being typed (or in a loop that does not include this network) is not analysed here.
        if (resolved.Backbones.Count == 0)
        {
            return Waiting(declaration);
        }

        var source = Analyze(resolved.Backbone, blocks);
        if (source.Model is not { } backbone)
        {
            return source.Diagnostics.Count == 0
                ? Waiting(declaration)
                : ModelAnalyzer.Failed(declaration, DiagnosticInfo.Create(BackboneHasErrors, reference.Location, reference.ClassName, declaration.ClassName));
        }

        var input = declaration.Input;
        if (backbone.Input != Shapes.Shape.Map(input.Channels, input.Height, input.Width))
        {
            var expected = string.Join(", ", backbone.Input.Dimensions);
            return ModelAnalyzer.Failed(declaration, DiagnosticInfo.Create(BackboneInputDiffers, declaration.InputLocation, declaration.ClassName, $"{input.Channels}, {input.Height}, {input.Width}", reference.ClassName, expected));
        }

        var names = backbone.Layers.Select(static l => l.Name).ToList();
        var through = names.IndexOf(reference.Through);
        if (through < 0)
        {
            return ModelAnalyzer.Failed(declaration, DiagnosticInfo.Create(
                UnknownBackboneLayer, reference.ThroughLocation, reference.ClassName, reference.Through, Suggestions.DidYouMean(reference.Through, names), string.Join(", ", names)));
        }

        var part = new BackbonePart(reference.MetadataName, reference.ClassName, backbone.Layers.Take(through + 1).ToEquatableArray(), reference.Location);
        return ModelAnalyzer.Analyze(declaration, blocks, part);
    }

    /// <summary>A network whose backbone is still being typed: a stand-in, and nothing to report here.</summary>
    private static AnalysisResult Waiting(ModelDeclaration declaration) =>
        new(null, UnusableDeclaration.For(declaration, UnusableDeclaration.HalfTyped, System.Array.Empty<DiagnosticInfo>()), EquatableArray<DiagnosticInfo>.Empty);
}
