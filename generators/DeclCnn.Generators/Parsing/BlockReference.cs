namespace DeclCnn.Generators.Parsing;

/// <summary>A block type named in an attribute: its fully qualified name (<c>global::App.BasicBlock</c>) and its simple name.</summary>
internal readonly record struct BlockReference(string MetadataName, string Name);
