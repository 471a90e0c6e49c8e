using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DeclCnn.Generators.Kinds;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Shapes;

namespace DeclCnn.Generators.Analysis;

/// <summary>
/// Every block of the compilation, as the pipeline's block-analysis step left them, for the models
/// and blocks that use them. Compared by those analyses, so models are re-analysed only when a block
/// changes.
/// </summary>
internal sealed class BlockLibrary : IEquatable<BlockLibrary>
{
    /// <summary>
    /// How deep blocks may nest. Each level of blocks doubles the time TorchSharp's train() and eval() take to walk
    /// the modules (24 levels took 7.6 s, 28 over two minutes); at 16 it is a few milliseconds, and real networks
    /// nest two or three levels.
    /// </summary>
    public const int MaxNesting = 16;

    private readonly EquatableArray<BlockAnalysis> blocks;
    private readonly Lazy<Dictionary<string, BlockAnalysis>> analyses;
    private readonly Lazy<BlockScope> scope;
    private readonly Lazy<HashSet<string>> usable;
    private readonly Lazy<Dictionary<string, int>> depths;

    public BlockLibrary(EquatableArray<BlockAnalysis> blocks)
    {
        this.blocks = blocks;
        analyses = new Lazy<Dictionary<string, BlockAnalysis>>(() =>
            this.blocks.GroupBy(static b => b.Declaration.MetadataName).ToDictionary(static g => g.Key, static g => g.First()));
        scope = new Lazy<BlockScope>(() => new BlockScope(analyses.Value.ToDictionary(static a => a.Key, static a => a.Value.Declaration)));
        depths = new Lazy<Dictionary<string, int>>(FindDepths);
        usable = new Lazy<HashSet<string>>(FindUsable);
    }

    /// <summary>The block declarations, as the shape engine traces stages with them.</summary>
    public BlockScope Scope => scope.Value;

    /// <summary>The analysed block of that fully qualified name, or null when no class of that name is a [Block].</summary>
    public BlockAnalysis? Find(string metadataName) => analyses.Value.TryGetValue(metadataName, out var analysis) ? analysis : null;

    /// <summary>The loop of blocks through which <paramref name="metadataName"/> contains itself, or null.</summary>
    public string? FindCycle(string metadataName) => Cycles(metadataName, ImmutableList<string>.Empty).FirstOrDefault(cycle => cycle[0] == metadataName) is { } found
        ? string.Join(" -> ", found.Select(static name => BlockScope.SimpleName(name)))
        : null;

    /// <summary>
    /// Whether the block <paramref name="metadataName"/> can be used: it has no errors of its own, is in no
    /// loop, and so is every block it uses, at any depth. Each problem is reported where it is; the users
    /// of a block that cannot be used wait for the fix instead of repeating it.
    /// </summary>
    public bool IsUsable(string metadataName) => usable.Value.Contains(metadataName);

    /// <summary>
    /// How deep blocks nest in the block <paramref name="metadataName"/>: 1 for a block of plain layers, one more
    /// than the deepest block it uses. A loop adds nothing (it is reported as such).
    /// </summary>
    public int Depth(string metadataName) => depths.Value.TryGetValue(metadataName, out var depth) ? depth : 0;

    /// <summary>The blocks a block declaration uses: those of its stages and its shortcut block, by metadata name.</summary>
    public static IEnumerable<string> UsedBlocks(BlockDeclaration declaration) =>
        declaration.Layers.Select(static l => UsedBlock(l.Spec)).OfType<string>();

    /// <summary>The block a layer uses: a stage's block, or a join's shortcut block; null for other layers.</summary>
    public static string? UsedBlock(LayerSpec spec) => spec switch
    {
        StageSpec stage => stage.BlockMetadataName,
        JoinSpec join => join.ProjectionBlock,
        _ => null,
    };

    public bool Equals(BlockLibrary? other) => other is not null && blocks.Equals(other.blocks);

    public override bool Equals(object? obj) => Equals(obj as BlockLibrary);

    public override int GetHashCode() => blocks.GetHashCode();

    private Dictionary<string, int> FindDepths()
    {
        var found = new Dictionary<string, int>();
        var visiting = new HashSet<string>();
        int Depth(string metadataName)
        {
            if (found.TryGetValue(metadataName, out var known))
            {
                return known;
            }

            if (Find(metadataName) is not { } block || !visiting.Add(metadataName))
            {
                return 0;
            }

            var depth = 1 + UsedBlocks(block.Declaration).Select(Depth).DefaultIfEmpty(0).Max();
            visiting.Remove(metadataName);
            return found[metadataName] = depth;
        }

        foreach (var name in analyses.Value.Keys)
        {
            Depth(name);
        }

        return found;
    }

    /// <summary>
    /// The usable blocks: start from those without errors that reach no loop and nest no deeper than the limit, then drop every block that uses
    /// one outside the set until none is left to drop (a block that uses a class that is not a block included).
    /// </summary>
    private HashSet<string> FindUsable()
    {
        var found = new HashSet<string>(analyses.Value.Where(a => a.Value.Block is not null && !Cycles(a.Key, ImmutableList<string>.Empty).Any() && Depth(a.Key) <= MaxNesting).Select(static a => a.Key));
        bool dropped;
        do
        {
            dropped = found.RemoveWhere(name => UsedBlocks(analyses.Value[name].Declaration).Any(used => !found.Contains(used))) > 0;
        }
        while (dropped);

        return found;
    }

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
        var used = Find(metadataName) is { } block ? UsedBlocks(block.Declaration) : Enumerable.Empty<string>();
        foreach (var cycle in used.SelectMany(name => Cycles(name, path.Add(metadataName))))
        {
            yield return cycle;
        }
    }
}
