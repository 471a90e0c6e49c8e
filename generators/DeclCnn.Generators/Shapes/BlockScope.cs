using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Shapes;

/// <summary>
/// The block declarations that stages may use while a trace runs, and the blocks being traced
/// around the current layer, outermost first: a block may not contain itself.
/// </summary>
internal sealed class BlockScope
{
    private static readonly char[] NameSeparators = { '.', ':' };

    private readonly IReadOnlyDictionary<string, BlockDeclaration> blocks;
    private readonly ImmutableList<string> enclosing;

    public BlockScope(IReadOnlyDictionary<string, BlockDeclaration> blocks)
        : this(blocks, ImmutableList<string>.Empty)
    {
    }

    private BlockScope(IReadOnlyDictionary<string, BlockDeclaration> blocks, ImmutableList<string> enclosing)
    {
        this.blocks = blocks;
        this.enclosing = enclosing;
    }

    /// <summary>The block of that fully qualified name, or null when no class of that name is a [Block].</summary>
    public BlockDeclaration? Find(string metadataName) => blocks.TryGetValue(metadataName, out var block) ? block : null;

    /// <summary>
    /// The scope as seen from inside <paramref name="block"/>, or null when that block is already
    /// being traced (it would contain itself); <paramref name="cycle"/> names the blocks in the loop.
    /// </summary>
    public BlockScope? Enter(string block, out string cycle)
    {
        cycle = string.Join(" -> ", enclosing.Add(block).Select(static name => SimpleName(name)));
        return enclosing.Contains(block) ? null : new BlockScope(blocks, enclosing.Add(block));
    }

    /// <summary>"global::App.Models.Net" -> "Net".</summary>
    public static string SimpleName(string metadataName) => metadataName.Substring(metadataName.LastIndexOfAny(NameSeparators) + 1);
}
