using DeclCnn.Generators.Model;
using DeclCnn.Generators.Shapes;

namespace DeclCnn.Generators.Analysis;

/// <summary>A layer ready to emit: its spec, its submodule name and its traced shapes.</summary>
internal sealed record AnalyzedLayer(ModuleSpec Spec, string Name, LayerTrace Trace);

/// <summary>
/// A model whose every shape checked out: all the emitter needs, and no source locations, so
/// edits that only move the declaration do not re-emit it. <see cref="HasOwnSummary"/>: the user wrote
/// a <c>///</c> summary, so the generated description goes in <c>remarks</c>.
/// </summary>
internal sealed record AnalyzedModel(
    string? Namespace,
    string ClassName,
    EquatableArray<ContainingType> ContainingTypes,
    Shape Input,
    EquatableArray<AnalyzedLayer> Layers,
    InitSpec? Init,
    bool HasOwnSummary)
{
    /// <summary>The network this one starts with, when declared with <c>[Backbone]</c>; null otherwise.</summary>
    public BackboneSummary? Backbone { get; init; }

    public Shape Output => Layers[Layers.Count - 1].Trace.Output;

    /// <summary>The generated file's name.</summary>
    public string HintName => HintNames.Of(Namespace, ContainingTypes, ClassName);
}

/// <summary>
/// A network's backbone, for the emitter: the source network (fully qualified, and its simple name) and how many of
/// the network's first layers are the source's.
/// </summary>
internal sealed record BackboneSummary(string MetadataName, string ClassName, int LayerCount);

/// <summary>
/// The outcome of analysing one declaration: a model to emit when it is error-free, else the stand-in to emit
/// in its place (none where no generated part can extend the class), and the diagnostics to report.
/// </summary>
internal sealed record AnalysisResult(AnalyzedModel? Model, UnusableDeclaration? Unusable, EquatableArray<DiagnosticInfo> Diagnostics);
