using System.Collections.Generic;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;

namespace DeclCnn.Generators.Kinds;

/// <summary>
/// What the generator knows about one kind of layer, for the stages that read, check and describe
/// layers. Kinds that become submodules derive from <see cref="ModuleKind{TSpec}"/>, which adds
/// naming and emission; every member is abstract, so a kind that misses one does not compile.
/// Kinds are registered in <see cref="LayerKinds"/>.
/// </summary>
internal abstract class LayerKind
{
    /// <summary>Parsing: the spec of one attribute, or null when it cannot be read yet (the compiler reports why).</summary>
    public abstract LayerSpec? Read(AttributeArguments arguments);

    /// <summary>
    /// Parsing: the properties a constructor parameter initializes, so that a diagnostic on a property
    /// points at the argument that set it. Most parameters initialize the property of the same name.
    /// </summary>
    public virtual IEnumerable<string> PropertiesOf(string parameter) =>
        new[] { char.ToUpperInvariant(parameter[0]) + parameter.Substring(1) };

    /// <summary>Blocks: the integer properties a block parameter may set (sizes the block's constructor can compute).</summary>
    public abstract IReadOnlyCollection<string> BindableProperties { get; }

    /// <summary>Blocks: the spec with <paramref name="property"/> (one of <see cref="BindableProperties"/>) set to a use's value.</summary>
    public abstract LayerSpec Bind(LayerSpec spec, string property, int value);

    /// <summary>Shapes: the layer as the user declared it, for messages (<c>Conv(64, 3, Stride = 2)</c>).</summary>
    public abstract string Describe(LayerSpec spec, WrittenArguments written);

    /// <summary>Shapes: PyTorch's output shape and parameter count for the step's input, or why the layer cannot run.</summary>
    public abstract Result<LayerTrace> Trace(LayerSpec spec, LayerStep step);
}
