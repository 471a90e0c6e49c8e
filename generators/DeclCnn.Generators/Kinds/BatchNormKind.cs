using System;
using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using Attr = DeclCnn.BatchNormAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[BatchNorm]</c>: 2-D or 1-D by the inferred rank.</summary>
internal sealed record BatchNormSpec(double Eps, double Momentum) : ModuleSpec
{
    public override ModuleKind Module => BatchNormKind.Instance;
}

/// <summary><c>[BatchNorm]</c>: <c>torch.nn.BatchNorm2d</c> after a feature map, <c>BatchNorm1d</c> after a flat layer; 2*C parameters.</summary>
internal sealed class BatchNormKind : ModuleKind<BatchNormSpec>
{
    public static readonly BatchNormKind Instance = new();

    private static readonly Attr Defaults = new();

    private BatchNormKind()
    {
    }

    public override IReadOnlyCollection<string> BindableProperties => Array.Empty<string>();

    public override bool AlwaysNumbered => true;

    public override bool AllowedInBlock => true;

    public override LayerSpec Read(AttributeArguments arguments) =>
        new BatchNormSpec(arguments.Double(nameof(Attr.Eps), Defaults.Eps), arguments.Double(nameof(Attr.Momentum), Defaults.Momentum));

    protected override BatchNormSpec Bind(BatchNormSpec spec, string property, int value) => spec;

    protected override string Describe(BatchNormSpec spec, WrittenArguments written) => "BatchNorm";

    protected override Result<LayerOutput> Rule(BatchNormSpec spec, LayerStep step)
    {
        // The variance is divided by its square root plus eps: zero or less gives infinities or NaN.
        if (!(spec.Eps > 0))
        {
            return ShapeFault.Of(ArgumentOutOfRange, nameof(Attr.Eps), step.Reference, nameof(Attr.Eps), "positive", LayerDescriber.Number(spec.Eps));
        }

        return new LayerOutput(step.Input, checked(2 * step.Input.Channels));
    }

    protected override long MultiplyAdds(BatchNormSpec spec, Shape input, LayerOutput output) => 0;

    protected override string NamePrefix(BatchNormSpec spec) => "bn";

    protected override string ModuleType(BatchNormSpec spec, bool flatInput) => flatInput ? "BatchNorm1d" : "BatchNorm2d";

    protected override string Create(BatchNormSpec spec, ModuleContext context) => ModuleFactory.Call(
        context.ModuleType,
        context.InChannels.ToCSharp(),
        spec.Eps == Defaults.Eps ? null : $"eps: {ModuleFactory.Number(spec.Eps)}",
        spec.Momentum == Defaults.Momentum ? null : $"momentum: {ModuleFactory.Number(spec.Momentum)}");

    protected override IntExpression OutChannels(BatchNormSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(BatchNormSpec spec) => LayerWeights.None;

    protected override void WriteOnnx(BatchNormSpec spec, OnnxContext context, IndentedWriter writer) =>
        writer.Line(context.Call("BatchNorm", spec.Eps == Defaults.Eps ? null : $"eps: {ModuleFactory.Number(spec.Eps)}"));

    protected override string CreatePyTorch(BatchNormSpec spec, PyTorchContext context) => PyTorchContext.Call(
        context.Module.ModuleType,
        context.InChannels,
        spec.Eps == Defaults.Eps ? null : $"eps={PyTorchContext.Number(spec.Eps)}",
        spec.Momentum == Defaults.Momentum ? null : $"momentum={PyTorchContext.Number(spec.Momentum)}");
}
