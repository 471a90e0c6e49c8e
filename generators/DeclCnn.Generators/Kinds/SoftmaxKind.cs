using System;
using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;
using Attr = DeclCnn.SoftmaxAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[Softmax]</c> or <c>[LogSoftmax]</c> over <see cref="Dim"/>.</summary>
internal sealed record SoftmaxSpec(SoftmaxKind Function, int Dim) : ModuleSpec
{
    public override ModuleKind Module => Function;
}

/// <summary><c>[Softmax]</c> and <c>[LogSoftmax]</c>: <c>torch.nn.Softmax</c> and <c>LogSoftmax</c> over a dimension of the batched tensor.</summary>
internal sealed class SoftmaxKind : ModuleKind<SoftmaxSpec>
{
    public static readonly SoftmaxKind Softmax = new("Softmax");
    public static readonly SoftmaxKind LogSoftmax = new("LogSoftmax");

    private static readonly Attr Defaults = new();

    private readonly string name;

    private SoftmaxKind(string name) => this.name = name;

    public override IReadOnlyCollection<string> BindableProperties => Array.Empty<string>();

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => true;

    public override LayerSpec Read(AttributeArguments arguments) => new SoftmaxSpec(this, arguments.Int(nameof(Attr.Dim), Defaults.Dim));

    protected override SoftmaxSpec Bind(SoftmaxSpec spec, string property, int value) => spec;

    protected override string Describe(SoftmaxSpec spec, WrittenArguments written) => name;

    protected override Result<LayerOutput> Rule(SoftmaxSpec spec, LayerStep step)
    {
        var rank = step.Input.BatchedRank;
        if (spec.Dim < -rank || spec.Dim >= rank)
        {
            var dimensions = string.Join(", ", Array.ConvertAll(step.Input.Dimensions, Number));
            return ShapeFault.Of(DimOutOfRange, nameof(Attr.Dim), step.Reference, Number(spec.Dim), Number(rank), dimensions, Number(-rank), Number(rank - 1));
        }

        return new LayerOutput(step.Input, 0);
    }

    protected override long MultiplyAdds(SoftmaxSpec spec, Shape input, LayerOutput output) => 0;

    protected override string NamePrefix(SoftmaxSpec spec) => name.ToLowerInvariant();

    protected override string ModuleType(SoftmaxSpec spec, bool flatInput) => name;

    protected override string Create(SoftmaxSpec spec, ModuleContext context) => ModuleFactory.Call(name, $"dim: {ModuleFactory.Number(spec.Dim)}");

    protected override IntExpression OutChannels(SoftmaxSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(SoftmaxSpec spec) => LayerWeights.None;

    protected override void WriteOnnx(SoftmaxSpec spec, OnnxContext context, IndentedWriter writer) =>
        writer.Line(context.Call(name, $"dim: {ModuleFactory.Number(spec.Dim)}"));

    protected override string CreatePyTorch(SoftmaxSpec spec, PyTorchContext context) => PyTorchContext.Call(name, $"dim={PyTorchContext.Number(spec.Dim)}");
}
