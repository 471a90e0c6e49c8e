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
    private readonly Lazy<HashSet<string>> usable;

    /// <summary>The blocks whose stages are being traced, outermost first: a block may not use itself.</summary>
    private readonly ImmutableList<string> enclosing;

    public BlockLibrary(EquatableArray<BlockDeclaration> blocks)
    {
        this.blocks = blocks;
        enclosing = ImmutableList<string>.Empty;
        analyses = new Lazy<Dictionary<string, BlockAnalysis>>(() =>
            this.blocks.GroupBy(static b => b.MetadataName).ToDictionary(static g => g.Key, static g => BlockAnalyzer.Analyze(g.First())));
        usable = new Lazy<HashSet<string>>(FindUsable);
    }

    private BlockLibrary(BlockLibrary outer, string entered)
    {
        blocks = outer.blocks;
        analyses = outer.analyses;
        usable = outer.usable;
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

    /// <summary>
    /// Whether the block <paramref name="metadataName"/> can be used: it has no errors of its own, is in no
    /// loop, and so is every block it uses, at any depth. Each problem is reported where it is; the users
    /// of a block that cannot be used wait for the fix instead of repeating it.
    /// </summary>
    public bool IsUsable(string metadataName) => usable.Value.Contains(metadataName);

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

    /// <summary>"global::App.Models.Net" -> "Net".</summary>
    public static string SimpleName(string metadataName) => metadataName.Substring(metadataName.LastIndexOfAny(NameSeparators) + 1);

    public bool Equals(BlockLibrary? other) => other is not null && blocks.Equals(other.blocks);

    public override bool Equals(object? obj) => Equals(obj as BlockLibrary);

    public override int GetHashCode() => blocks.GetHashCode();

    /// <summary>
    /// The usable blocks: start from those without errors that reach no loop, then drop every block that uses
    /// one outside the set until none is left to drop (a block that uses a class that is not a block included).
    /// </summary>
    private HashSet<string> FindUsable()
    {
        var found = new HashSet<string>(analyses.Value.Where(a => a.Value.Block is not null && !Cycles(a.Key, ImmutableList<string>.Empty).Any()).Select(static a => a.Key));
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
