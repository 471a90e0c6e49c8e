using DeclCnn.Generators.Kinds;

namespace DeclCnn.Generators.Model;

/// <summary>
/// One declared layer, as plain values. Each kind has its own record, beside its
/// <see cref="LayerKind"/> in <c>Kinds/</c>; <see cref="Kind"/> has no backing field, so it takes
/// no part in the record's equality.
/// </summary>
internal abstract record LayerSpec
{
    /// <summary>The user's <c>Name = "..."</c>, or null for the default name.</summary>
    public string? Name { get; init; }

    /// <summary>The layer's own weight initialization (layers with weights), or <see cref="DeclCnn.Init.Default"/>.</summary>
    public Init Init { get; init; }

    /// <summary>The arguments written as constant expressions, which messages show as written.</summary>
    public EquatableArray<WrittenConstant> Written { get; init; }

    /// <summary>What the generator knows about this kind of layer.</summary>
    public abstract LayerKind Kind { get; }
}

/// <summary>A layer that becomes a submodule: every kind except the joins of a block.</summary>
internal abstract record ModuleSpec : LayerSpec
{
    public sealed override LayerKind Kind => Module;

    /// <summary>The kind, with what it needs to name and write the submodule.</summary>
    public abstract ModuleKind Module { get; }
}
