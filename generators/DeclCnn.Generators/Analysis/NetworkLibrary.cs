using System;
using System.Collections.Generic;
using System.Linq;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Analysis;

/// <summary>
/// A declaration with the declarations of its backbones: its <c>[Backbone]</c>'s network first, then that network's
/// backbone and so on, as far as they are declared. When the chain comes back to a network in it, <see cref="LoopStart"/>
/// is that network's position (0 for this declaration, 1 for its backbone, ...), else -1. A declaration without a
/// backbone has an empty chain, so it stays equal when other declarations change, and its analysis stays cached.
/// </summary>
internal sealed record ResolvedDeclaration(ModelDeclaration Declaration, EquatableArray<ModelDeclaration> Backbones, int LoopStart)
{
    /// <summary>The backbone's own resolution: the chain after it, and the same loop (which must not start here).</summary>
    public ResolvedDeclaration Backbone => new(Backbones[0], Backbones.Skip(1).ToEquatableArray(), LoopStart < 0 ? -1 : LoopStart - 1);

    /// <summary>Whether the loop of backbones starts, and ends, at this declaration.</summary>
    public bool IsInLoop => LoopStart == 0;

    /// <summary>The loop from this declaration back to it, as messages show it: <c>A -&gt; B -&gt; A</c>.</summary>
    public string Loop => string.Join(" -> ", new[] { Declaration }.Concat(Backbones).Select(static d => d.ClassName).Append(Declaration.ClassName));
}

/// <summary>
/// Every network declaration of the compilation, as the pipeline's parse step left them, for the networks that reuse
/// another's layers. Compared by those declarations.
/// </summary>
internal sealed class NetworkLibrary : IEquatable<NetworkLibrary>
{
    private readonly EquatableArray<ModelDeclaration> declarations;
    private readonly Lazy<Dictionary<string, ModelDeclaration>> byName;

    public NetworkLibrary(EquatableArray<ModelDeclaration> declarations)
    {
        this.declarations = declarations;
        byName = new Lazy<Dictionary<string, ModelDeclaration>>(() =>
            this.declarations.GroupBy(static d => d.MetadataName).ToDictionary(static g => g.Key, static g => g.First()));
    }

    /// <summary>Finds the chain of backbones of <paramref name="declaration"/>.</summary>
    public ResolvedDeclaration Resolve(ModelDeclaration declaration)
    {
        var chain = new List<ModelDeclaration>();
        var path = new List<ModelDeclaration> { declaration };
        for (var current = declaration; current.Backbone is { } backbone;)
        {
            var repeated = path.FindIndex(d => d.MetadataName == backbone.MetadataName);
            if (repeated >= 0)
            {
                return new ResolvedDeclaration(declaration, chain.ToEquatableArray(), repeated);
            }

            // A network that is still being typed is not parsed yet: the chain ends, and its users wait.
            if (!byName.Value.TryGetValue(backbone.MetadataName, out var source))
            {
                break;
            }

            chain.Add(source);
            path.Add(source);
            current = source;
        }

        return new ResolvedDeclaration(declaration, chain.ToEquatableArray(), -1);
    }

    public bool Equals(NetworkLibrary? other) => other is not null && declarations.Equals(other.declarations);

    public override bool Equals(object? obj) => Equals(obj as NetworkLibrary);

    public override int GetHashCode() => declarations.GetHashCode();
}
