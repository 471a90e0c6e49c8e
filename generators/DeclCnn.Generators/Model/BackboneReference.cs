namespace DeclCnn.Generators.Model;

/// <summary>
/// A declaration's <c>[Backbone&lt;TNetwork&gt;(through)]</c>: the source network by its fully qualified name (as
/// <see cref="ModelDeclaration.MetadataName"/> spells it) and simple name, the name of its last reused layer, and
/// where the attribute and that name are written.
/// </summary>
internal sealed record BackboneReference(string MetadataName, string ClassName, string Through, LocationInfo Location, LocationInfo ThroughLocation);
