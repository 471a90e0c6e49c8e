using System.Collections.Generic;
using System.Linq;
using DeclCnn.Generators.Kinds;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;

namespace DeclCnn.Generators.Analysis;

/// <summary>
/// Runs the shape engine and the naming rules on a declaration and locates every problem on the
/// attribute, or the attribute argument, at fault.
/// </summary>
internal static class ModelAnalyzer
{
    /// <summary>
    /// Analyses <paramref name="declaration"/>; with a <paramref name="backbone"/>, its layers come after the backbone's
    /// (which checked out in their own declaration) and are traced from the backbone's output.
    /// </summary>
    public static AnalysisResult Analyze(ModelDeclaration declaration, BlockLibrary blocks, BackbonePart? backbone = null)
    {
        var diagnostics = declaration.Diagnostics.ToList();
        if (diagnostics.Count > 0)
        {
            // Argument errors leave layers with placeholder values; checking shapes on them would mislead.
            return Unusable(declaration, diagnostics);
        }

        // Half-typed: the compiler reports the attribute.
        if (!declaration.IsComplete)
        {
            return new(null, UnusableDeclaration.For(declaration, UnusableDeclaration.HalfTyped, diagnostics), EquatableArray<DiagnosticInfo>.Empty);
        }

        if (declaration.Layers.Count == 0 && backbone is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(NoLayers, declaration.InputLocation, declaration.ClassName));
            return Unusable(declaration, diagnostics);
        }

        for (var i = 0; i < declaration.Layers.Count; i++)
        {
            if (declaration.Layers[i] is { Spec: JoinSpec } join)
            {
                diagnostics.Add(DiagnosticInfo.Create(JoinMisplaced, join.Location, LayerDescriber.Reference(join.Spec, i), JoinKind.OutsideBlock));
            }
        }

        if (diagnostics.Count > 0)
        {
            return Unusable(declaration, diagnostics);
        }

        // A block with errors, its own or those of a block it uses, reports them; its users get a stand-in naming it.
        // (A stage of a class that is not a block at all is reported here, by the shape engine.)
        var brokenBlocks = declaration.Layers
            .Select(static l => l.Spec).OfType<StageSpec>()
            .Where(stage => blocks.Find(stage.BlockMetadataName) is not null && !blocks.IsUsable(stage.BlockMetadataName))
            .Select(static stage => BlockScope.SimpleName(stage.BlockMetadataName))
            .ToList();
        if (brokenBlocks.Count > 0)
        {
            return new(null, UnusableDeclaration.For(declaration, UnusableDeclaration.UsesUnusableBlocks(brokenBlocks), diagnostics), EquatableArray<DiagnosticInfo>.Empty);
        }

        // No joins are left (they were reported above): every layer is a module. A backbone's layers come first;
        // problems in them can only be clashes with this class's names, located on [Backbone].
        var reused = backbone?.Layers ?? EquatableArray<AnalyzedLayer>.Empty;
        var specs = reused.Select(static l => l.Spec).Concat(declaration.Layers.Select(static l => (ModuleSpec)l.Spec)).ToList();
        LocationInfo? Locate(int layer, string? property) =>
            layer < reused.Count ? backbone!.Location : declaration.Layers[layer - reused.Count].LocationOf(property);

        var names = LayerNaming.Assign(specs, reused.Select(static l => l.Name).ToList(), declaration.ClassName, declaration.MemberNames, out var namingProblems);
        foreach (var (layer, reason) in namingProblems)
        {
            var location = Locate(layer, specs[layer].Name is null ? null : nameof(LayerAttribute.Name));
            diagnostics.Add(DiagnosticInfo.Create(InvalidLayerName, location, LayerDescriber.Reference(specs[layer], layer), names[layer], reason));
        }

        var trace = ShapeEngine.Run(declaration.Input, specs, blocks.Scope);
        if (trace.Problem is { } problem)
        {
            var location = Locate(problem.LayerIndex, problem.Property);
            diagnostics.Add(new DiagnosticInfo(problem.Descriptor, location, problem.MessageArgs));
            diagnostics.AddRange(problem.Related);
        }

        if (diagnostics.Count > 0)
        {
            return Unusable(declaration, diagnostics);
        }

        var layers = specs.Select((spec, i) => new AnalyzedLayer(spec, names[i], trace.Layers[i]));
        var model = new AnalyzedModel(declaration.Namespace, declaration.ClassName, declaration.ContainingTypes, trace.Input, layers.ToEquatableArray(), declaration.Init, declaration.HasOwnSummary)
        {
            Backbone = backbone is null ? null : new BackboneSummary(backbone.MetadataName, backbone.ClassName, reused.Count),
        };
        return new(model, null, EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>The result for a declaration that cannot be used for <paramref name="failure"/> (beside its own errors): a stand-in and the errors.</summary>
    public static AnalysisResult Failed(ModelDeclaration declaration, DiagnosticInfo failure) =>
        Unusable(declaration, declaration.Diagnostics.Append(failure).ToList());

    private static AnalysisResult Unusable(ModelDeclaration declaration, List<DiagnosticInfo> diagnostics) =>
        new(null, UnusableDeclaration.For(declaration, UnusableDeclaration.HasErrors(diagnostics), diagnostics), diagnostics.ToEquatableArray());
}
