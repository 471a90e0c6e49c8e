using System;
using System.Collections.Generic;
using System.Linq;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Analysis;

/// <summary>
/// Every block of the compilation, for the models that use them. Compared by the block
/// declarations, so models are re-analysed only when a block changes.
/// </summary>
internal sealed class BlockLibrary : IEquatable<BlockLibrary>
{
    private readonly EquatableArray<BlockDeclaration> blocks;
    private readonly Lazy<Dictionary<string, BlockAnalysis>> analyses;

    public BlockLibrary(EquatableArray<BlockDeclaration> blocks)
    {
        this.blocks = blocks;
        analyses = new Lazy<Dictionary<string, BlockAnalysis>>(() =>
            this.blocks.GroupBy(static b => b.MetadataName).ToDictionary(static g => g.Key, static g => BlockAnalyzer.Analyze(g.First())));
    }

    public static BlockLibrary Empty { get; } = new(EquatableArray<BlockDeclaration>.Empty);

    /// <summary>The analysed block of that fully qualified name, or null when no class of that name is a [Block].</summary>
    public BlockAnalysis? Find(string metadataName) => analyses.Value.TryGetValue(metadataName, out var analysis) ? analysis : null;

    public bool Equals(BlockLibrary? other) => other is not null && blocks.Equals(other.blocks);

    public override bool Equals(object? obj) => Equals(obj as BlockLibrary);

    public override int GetHashCode() => blocks.GetHashCode();
}
