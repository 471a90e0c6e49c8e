using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Shapes;

namespace DeclCnn.Generators.Kinds;

/// <summary>
/// The base of each module kind: the members typed with the kind's own spec. A spec reaches only its
/// own kind (<see cref="ModuleSpec.Module"/>), so the casts here always hold.
/// </summary>
/// <typeparam name="TSpec">The kind's spec record.</typeparam>
internal abstract class ModuleKind<TSpec> : ModuleKind
    where TSpec : ModuleSpec
{
    public sealed override LayerSpec Bind(LayerSpec spec, string property, int value) => Bind((TSpec)spec, property, value);

    public sealed override string Describe(LayerSpec spec, WrittenArguments written) => Describe((TSpec)spec, written);

    public sealed override Result<LayerTrace> Trace(LayerSpec spec, LayerStep step)
    {
        var typed = (TSpec)spec;
        var result = Rule(typed, step);
        return result.Value is { } output
            ? new LayerTrace(step.Input, output.Output, output.Parameters, MultiplyAdds(typed, step.Input, output), ModuleType(typed, step.Input.IsFlat), output.BlockInputChannels)
            : result.Fault!;
    }

    public sealed override string NamePrefix(ModuleSpec spec) => NamePrefix((TSpec)spec);

    public sealed override string ModuleType(ModuleSpec spec, bool flatInput) => ModuleType((TSpec)spec, flatInput);

    public sealed override string Create(ModuleSpec spec, ModuleContext context) => Create((TSpec)spec, context);

    public sealed override IntExpression OutChannels(ModuleSpec spec, ModuleContext context) => OutChannels((TSpec)spec, context);

    public sealed override LayerWeights Weights(ModuleSpec spec) => Weights((TSpec)spec);

    public sealed override void WriteOnnx(ModuleSpec spec, OnnxContext context, IndentedWriter writer) => WriteOnnx((TSpec)spec, context, writer);

    public sealed override string CreatePyTorch(ModuleSpec spec, PyTorchContext context) => CreatePyTorch((TSpec)spec, context);

    protected abstract TSpec Bind(TSpec spec, string property, int value);

    protected abstract string Describe(TSpec spec, WrittenArguments written);

    /// <summary>The shape rule: PyTorch's output shape and parameter count, or the fault; checked arithmetic.</summary>
    protected abstract Result<LayerOutput> Rule(TSpec spec, LayerStep step);

    /// <summary>
    /// The multiply-adds of one sample through the layer, from its spec and shapes: a multiplication by a
    /// weight and its accumulation (convolutions and dense layers); every other kind counts 0. Checked arithmetic.
    /// </summary>
    protected abstract long MultiplyAdds(TSpec spec, Shape input, LayerOutput output);

    protected abstract string NamePrefix(TSpec spec);

    protected abstract string ModuleType(TSpec spec, bool flatInput);

    protected abstract string Create(TSpec spec, ModuleContext context);

    protected abstract IntExpression OutChannels(TSpec spec, ModuleContext context);

    protected abstract LayerWeights Weights(TSpec spec);

    protected abstract void WriteOnnx(TSpec spec, OnnxContext context, IndentedWriter writer);

    protected abstract string CreatePyTorch(TSpec spec, PyTorchContext context);
}
