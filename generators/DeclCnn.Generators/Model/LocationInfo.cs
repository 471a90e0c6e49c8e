using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DeclCnn.Generators.Model;

/// <summary>
/// Where a diagnostic points. Keeps the syntax tree (not a node or symbol): an unchanged file
/// keeps the same tree object across compilations, so this compares equal and stays cached.
/// </summary>
internal sealed record LocationInfo(SyntaxTree Tree, TextSpan Span)
{
    public static LocationInfo From(SyntaxNode node) => new(node.SyntaxTree, node.Span);

    public static LocationInfo? From(Location location) =>
        location.SourceTree is { } tree ? new LocationInfo(tree, location.SourceSpan) : null;

    public Location ToLocation() => Location.Create(Tree, Span);
}
