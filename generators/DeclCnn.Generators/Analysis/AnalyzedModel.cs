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
    public Shape Output => Layers[Layers.Count - 1].Trace.Output;

    /// <summary>The generated file's name.</summary>
    public string HintName => HintNames.Of(Namespace, ContainingTypes, ClassName);
}

/// <summary>
/// The outcome of analysing one declaration: a model to emit when it is error-free, else the stand-in to emit
/// in its place (none where no generated part can extend the class), and the diagnostics to report.
/// </summary>
internal sealed record AnalysisResult(AnalyzedModel? Model, UnusableDeclaration? Unusable, EquatableArray<DiagnosticInfo> Diagnostics);
