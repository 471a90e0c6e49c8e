using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeclCnn.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;

namespace DeclCnn.Generators.Parsing;

/// <summary>
/// Reads a model's <c>[Backbone&lt;TNetwork&gt;(through)]</c>. What needs only the attribute's own type is checked
/// here (the source must be a network declared in this project, and not the class itself); the source's layers are
/// looked up later, among the compilation's declarations, so that the model stays a value.
/// </summary>
internal static class BackboneReader
{
    /// <summary>The members the generator adds to a network with a backbone, which the user's class must not declare.</summary>
    public static readonly string[] GeneratedMembers = { "BackboneLayers", "LoadBackbone", "FreezeBackbone" };

    /// <summary>
    /// The class's backbone, or null when it has none. <paramref name="complete"/> turns false while the attribute's
    /// type argument does not bind (the compiler reports it).
    /// </summary>
    public static BackboneReference? Read(INamedTypeSymbol symbol, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken, ref bool complete)
    {
        var attribute = symbol.GetAttributes().FirstOrDefault(static a => MetadataNames.Is(a.AttributeClass, MetadataNames.BackboneAttribute));
        if (attribute is null || ModelParser.IsHalfTyped(attribute, cancellationToken))
        {
            return null;
        }

        if (attribute.AttributeClass is not { TypeArguments: [INamedTypeSymbol { TypeKind: not TypeKind.Error } network] })
        {
            complete = false;
            return null;
        }

        var syntax = (AttributeSyntax)attribute.ApplicationSyntaxReference!.GetSyntax(cancellationToken);
        var location = LocationInfo.From(syntax);
        var throughLocation = syntax.ArgumentList?.Arguments.FirstOrDefault() is { } argument ? LocationInfo.From(argument) : location;
        var through = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? string.Empty;

        if (SymbolEqualityComparer.Default.Equals(network, symbol))
        {
            diagnostics.Add(DiagnosticInfo.Create(BackboneUsesItself, location, symbol.Name, $"{symbol.Name} -> {symbol.Name}"));
        }
        else if (WhyNotANetwork(network) is { } reason)
        {
            diagnostics.Add(DiagnosticInfo.Create(BackboneNotANetwork, location, network.Name, reason));
        }

        return new BackboneReference(network.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), network.Name, through, location, throughLocation);
    }

    private static string? WhyNotANetwork(INamedTypeSymbol type)
    {
        if (!type.GetAttributes().Any(static a => MetadataNames.Is(a.AttributeClass, MetadataNames.InputAttribute)))
        {
            return type.GetAttributes().Any(static a => MetadataNames.Is(a.AttributeClass, MetadataNames.BlockAttribute))
                ? "is a [Block], not a network"
                : "has no [Input]";
        }

        // A network from a referenced assembly has its generated module, but not its declaration's layers.
        return type.Locations.Any(static l => l.IsInSource) ? null : "is declared in another assembly";
    }
}
