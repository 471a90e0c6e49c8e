using System;

namespace DeclCnn;

/// <summary>
/// Base of every layer attribute. Layers are applied in source order: attribute lists top to
/// bottom, and left to right within a list.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public abstract class LayerAttribute : Attribute
{
    /// <summary>Only DeclCnn's own layers derive from this: the generator knows each one's shape rule.</summary>
    private protected LayerAttribute()
    {
    }

    /// <summary>
    /// The submodule name, as it appears in the state dict (for example <c>"classifier"</c>).
    /// Default: a PyTorch-style name numbered per kind (<c>conv1</c>, <c>bn1</c>, <c>fc1</c>; a
    /// single dense layer is <c>fc</c>). Must be a valid C# identifier and unique in the network.
    /// </summary>
    public string? Name { get; set; }
}
