using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Kinds;

/// <summary>
/// A kind of layer that becomes a submodule: with <see cref="LayerKind"/>'s members, its name, its
/// TorchSharp module and factory call, and its part in weight initialization.
/// </summary>
internal abstract class ModuleKind : LayerKind
{
    /// <summary>Analysis: the prefix of the default name (<c>conv</c> in <c>conv1</c>).</summary>
    public abstract string NamePrefix(ModuleSpec spec);

    /// <summary>Analysis: whether the default name is numbered even when the kind is used once (<c>conv1</c>, as torchvision does).</summary>
    public abstract bool AlwaysNumbered { get; }

    /// <summary>Analysis: whether a <c>[Block]</c> may declare the kind (a block keeps a feature map).</summary>
    public abstract bool AllowedInBlock { get; }

    /// <summary>Emit: the TorchSharp module type, in <c>TorchSharp.Modules</c>, for a flat or a feature-map input.</summary>
    public abstract string ModuleType(ModuleSpec spec, bool flatInput);

    /// <summary>Emit: the factory call that creates the module, passing only arguments that differ from PyTorch's defaults.</summary>
    public abstract string Create(ModuleSpec spec, ModuleContext context);

    /// <summary>Emit: in a block, the channels the layer produces, as an expression over the block's parameters.</summary>
    public abstract IntExpression OutChannels(ModuleSpec spec, ModuleContext context);

    /// <summary>Emit: whether <c>[WeightInit]</c> and the layer's <c>Init</c> apply, and whether there is a bias to zero.</summary>
    public abstract LayerWeights Weights(ModuleSpec spec);

    /// <summary>
    /// Emit: the layer's part of the ONNX export, the builder call(s) that take <see cref="OnnxContext.Value"/> to the
    /// layer's output. An operation ONNX cannot express exactly must reach a builder call that refuses it, never an
    /// approximation.
    /// </summary>
    public abstract void WriteOnnx(ModuleSpec spec, OnnxContext context, IndentedWriter writer);

    /// <summary>
    /// Emit: the layer's module in the PyTorch source, the <c>nn</c> call that builds what <see cref="Create"/> builds
    /// (<c>nn.Conv2d(1, 32, kernel_size=3, padding='same')</c>), passing only arguments that differ from PyTorch's
    /// defaults. The source's <c>forward</c> calls it as TorchSharp's does, so the state-dict keys are the same.
    /// </summary>
    public abstract string CreatePyTorch(ModuleSpec spec, PyTorchContext context);
}
