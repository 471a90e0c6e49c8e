using System.Collections.Generic;
using System.Linq;
using DeclCnn.Generators.Kinds;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;

namespace DeclCnn.Generators.Analysis;

/// <summary>
/// Checks what a block declaration can be checked for on its own (structure and names); shapes
/// depend on each use and are checked where the block is used.
/// </summary>
internal static class BlockAnalyzer
{
    /// <summary>The name of the shortcut projection, as torchvision calls it.</summary>
    public const string ShortcutName = "downsample";

    public static BlockAnalysis Analyze(BlockDeclaration declaration)
    {
        var diagnostics = declaration.Diagnostics.ToList();
        if (!declaration.IsComplete || diagnostics.Count > 0)
        {
            return new BlockAnalysis(declaration, null, diagnostics.ToEquatableArray());
        }

        if (declaration.Layers.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(NoLayers, declaration.Location, declaration.ClassName));
        }

        var joinIndex = -1;
        for (var i = 0; i < declaration.Layers.Count; i++)
        {
            var layer = declaration.Layers[i];
            var reference = LayerDescriber.Reference(layer.Spec, i);
            switch (layer.Spec)
            {
                case ModuleSpec { Module.AllowedInBlock: false }:
                    diagnostics.Add(DiagnosticInfo.Create(LayerNotAllowedInBlock, layer.Location, reference, LayerDescriber.Describe(layer.Spec)));
                    break;
                case JoinSpec when joinIndex >= 0:
                    diagnostics.Add(DiagnosticInfo.Create(JoinMisplaced, layer.Location, reference, "a block joins its input once; remove this second join"));
                    break;
                case JoinSpec when i == 0:
                    diagnostics.Add(DiagnosticInfo.Create(JoinMisplaced, layer.Location, reference, "the body before the join is empty; declare the body's layers first"));
                    joinIndex = i;
                    break;
                case JoinSpec:
                    joinIndex = i;
                    break;
            }
        }

        var modules = declaration.Layers.Where(static l => l.Spec is ModuleSpec).ToList();
        var specs = modules.Select(static l => (ModuleSpec)l.Spec).ToList();
        var names = LayerNaming.Assign(specs, declaration.ClassName, declaration.MemberNames, out var namingProblems);
        foreach (var (layer, reason) in namingProblems)
        {
            diagnostics.Add(DiagnosticInfo.Create(InvalidLayerName, modules[layer].LocationOf(specs[layer].Name is null ? null : nameof(LayerAttribute.Name)), LayerDescriber.Describe(specs[layer], modules[layer].Symbolic), names[layer], reason));
        }

        // Names the generated block uses itself: its constructor's parameters, and where the
        // shortcut is a module, that module and the variable forward() keeps its output in.
        var join = joinIndex >= 0 ? (JoinSpec)declaration.Layers[joinIndex].Spec : null;
        var projects = join is { IsAdd: true } && (join.Shortcut != Shortcut.Identity || join.ProjectionBlock is not null);
        for (var i = 0; i < names.Length; i++)
        {
            var reason = names[i] switch
            {
                "inChannels" or "channels" or "stride" => "is reserved for the generated block constructor's parameters",
                ShortcutName when projects => "is the name of the block's shortcut projection",
                "shortcut" when projects => "is reserved for the generated forward method's variables",
                _ => null,
            };
            if (reason is not null && !namingProblems.Any(p => p.Layer == i))
            {
                diagnostics.Add(DiagnosticInfo.Create(InvalidLayerName, modules[i].LocationOf(nameof(LayerAttribute.Name)), LayerDescriber.Describe(specs[i], modules[i].Symbolic), names[i], reason));
            }
        }

        if (diagnostics.Count > 0)
        {
            return new BlockAnalysis(declaration, null, diagnostics.ToEquatableArray());
        }

        var bodyCount = joinIndex >= 0 ? joinIndex : modules.Count;
        var layers = modules.Select((layer, i) => new BlockLayer(specs[i], names[i], layer.Symbolic)).ToList();
        var block = new AnalyzedBlock(
            declaration.Namespace,
            declaration.ClassName,
            declaration.ContainingTypes,
            layers.Take(bodyCount).ToEquatableArray(),
            join,
            layers.Skip(bodyCount).ToEquatableArray(),
            declaration.Init,
            declaration.HasOwnSummary);
        return new BlockAnalysis(declaration, block, EquatableArray<DiagnosticInfo>.Empty);
    }
}
