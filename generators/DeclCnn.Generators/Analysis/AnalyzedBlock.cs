using DeclCnn.Generators.Kinds;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Analysis;

/// <summary>A block layer ready to emit: its template spec, its name and its symbolic arguments.</summary>
internal sealed record BlockLayer(ModuleSpec Spec, string Name, EquatableArray<SymbolicArgument> Symbolic);

/// <summary>
/// A block whose declaration checked out: the layers before its join (the body), the join, and the
/// layers after it. No source locations, so moving the declaration does not re-emit it.
/// </summary>
internal sealed record AnalyzedBlock(
    string? Namespace,
    string ClassName,
    EquatableArray<ContainingType> ContainingTypes,
    EquatableArray<BlockLayer> Body,
    JoinSpec? Join,
    EquatableArray<BlockLayer> After,
    InitSpec? Init,
    bool HasOwnSummary)
{
    public string HintName => HintNames.Of(Namespace, ContainingTypes, ClassName);
}

/// <summary>
/// The outcome of analysing one block declaration: the block to emit (when error-free), its
/// diagnostics, and the declaration itself, which each use instantiates to check shapes.
/// </summary>
internal sealed record BlockAnalysis(BlockDeclaration Declaration, AnalyzedBlock? Block, EquatableArray<DiagnosticInfo> Diagnostics);
