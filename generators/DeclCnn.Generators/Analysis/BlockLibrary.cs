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
    private static readonly char[] NameSeparators = { '.', ':' };

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
        cycle = string.Join(" -> ", enclosing.Add(block).Select(static name => SimpleName(name)));
        return enclosing.Contains(block) ? null : new BlockLibrary(this, block);
    }

    public static BlockLibrary Empty { get; } = new(EquatableArray<BlockDeclaration>.Empty);

    /// <summary>The analysed block of that fully qualified name, or null when no class of that name is a [Block].</summary>
    public BlockAnalysis? Find(string metadataName) => analyses.Value.TryGetValue(metadataName, out var analysis) ? analysis : null;

    /// <summary>The loop of blocks through which <paramref name="metadataName"/> contains itself, or null.</summary>
    public string? FindCycle(string metadataName) => Cycles(metadataName, ImmutableList<string>.Empty).FirstOrDefault(cycle => cycle[0] == metadataName) is { } found
        ? string.Join(" -> ", found.Select(static name => SimpleName(name)))
        : null;

    /// <summary>Whether <paramref name="metadataName"/> contains, at any depth, a block that contains itself.</summary>
    public bool ReachesCycle(string metadataName) => Cycles(metadataName, ImmutableList<string>.Empty).Any();

    public bool Equals(BlockLibrary? other) => other is not null && blocks.Equals(other.blocks);

    public override bool Equals(object? obj) => Equals(obj as BlockLibrary);

    public override int GetHashCode() => blocks.GetHashCode();

    /// <summary>"global::App.Models.Net" -> "Net".</summary>
    private static string SimpleName(string metadataName) => metadataName.Substring(metadataName.LastIndexOfAny(NameSeparators) + 1);

    /// <summary>Every loop reachable from <paramref name="metadataName"/>, each from its repeated block back to it.</summary>
    private IEnumerable<ImmutableList<string>> Cycles(string metadataName, ImmutableList<string> path)
    {
        var start = path.IndexOf(metadataName);
        if (start >= 0)
        {
            yield return path.GetRange(start, path.Count - start).Add(metadataName);
            yield break;
        }

        // A block contains the blocks of its stages and its shortcut block. Read from the declaration,
        // so that a loop through a block with errors of its own is found too: tracing it would never end.
        var layers = Find(metadataName)?.Declaration.Layers ?? EquatableArray<LayerDeclaration>.Empty;
        foreach (var spec in layers.Select(static l => l.Spec))
        {
            var used = spec switch
            {
                StageSpec stage => stage.BlockMetadataName,
                JoinSpec join => join.ProjectionBlock,
                _ => null,
            };
            foreach (var cycle in used is null ? Enumerable.Empty<ImmutableList<string>>() : Cycles(used, path.Add(metadataName)))
            {
                yield return cycle;
            }
        }
    }
}
