using System;
using System.Collections.Generic;
using System.Collections.Immutable;
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

    /// <summary>The blocks whose stages are being traced, outermost first: a block may not use itself.</summary>
    private readonly ImmutableList<string> enclosing;

    public BlockLibrary(EquatableArray<BlockDeclaration> blocks)
    {
        this.blocks = blocks;
        enclosing = ImmutableList<string>.Empty;
        analyses = new Lazy<Dictionary<string, BlockAnalysis>>(() =>
            this.blocks.GroupBy(static b => b.MetadataName).ToDictionary(static g => g.Key, static g => BlockAnalyzer.Analyze(g.First())));
    }

    private BlockLibrary(BlockLibrary outer, string entered)
    {
        blocks = outer.blocks;
        analyses = outer.analyses;
        enclosing = outer.enclosing.Add(entered);
    }

    /// <summary>
    /// The library as seen from inside <paramref name="block"/>, or null when that block is already
    /// being traced (it would contain itself); <paramref name="cycle"/> names the blocks in the loop.
    /// </summary>
    public BlockLibrary? Enter(string block, out string cycle)
    {
        cycle = string.Join(" -> ", enclosing.Add(block).Select(static name => name.Substring(name.LastIndexOf('.') + 1)));
        return enclosing.Contains(block) ? null : new BlockLibrary(this, block);
    }

    public static BlockLibrary Empty { get; } = new(EquatableArray<BlockDeclaration>.Empty);

    /// <summary>The analysed block of that fully qualified name, or null when no class of that name is a [Block].</summary>
    public BlockAnalysis? Find(string metadataName) => analyses.Value.TryGetValue(metadataName, out var analysis) ? analysis : null;

    /// <summary>The loop of blocks through which <paramref name="metadataName"/> contains itself, or null.</summary>
    public string? FindCycle(string metadataName) => FindCycle(metadataName, ImmutableList<string>.Empty);

    public bool Equals(BlockLibrary? other) => other is not null && blocks.Equals(other.blocks);

    public override bool Equals(object? obj) => Equals(obj as BlockLibrary);

    public override int GetHashCode() => blocks.GetHashCode();

    private string? FindCycle(string metadataName, ImmutableList<string> path)
    {
        path = path.Add(metadataName);
        if (path.IndexOf(metadataName) < path.Count - 1)
        {
            return string.Join(" -> ", path.Select(static name => name.Substring(name.LastIndexOf('.') + 1)));
        }

        var block = Find(metadataName)?.Block;
        var stages = block is null ? Enumerable.Empty<StageSpec>() : block.Body.Concat(block.After).Select(static l => l.Spec).OfType<StageSpec>();
        return stages.Select(stage => FindCycle(stage.BlockMetadataName, path)).FirstOrDefault(static cycle => cycle is not null);
    }
}
