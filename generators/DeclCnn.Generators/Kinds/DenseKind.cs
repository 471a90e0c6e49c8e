using System;
using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;
using static DeclCnn.Generators.Shapes.ShapeChecks;
using Attr = DeclCnn.DenseAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[Dense]</c>; <see cref="InFeatures"/> is 0 when inferred.</summary>
internal sealed record DenseSpec(int OutFeatures, int InFeatures, bool Bias) : ModuleSpec
{
    public override ModuleKind Module => DenseKind.Instance;
}

/// <summary><c>[Dense]</c>: <c>torch.nn.Linear</c> on a flat input, its input size inferred.</summary>
internal sealed class DenseKind : ModuleKind<DenseSpec>
{
    public static readonly DenseKind Instance = new();

    private static readonly Attr Defaults = new(1);

    private DenseKind()
    {
    }

    public override IReadOnlyCollection<string> BindableProperties => Array.Empty<string>();

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => false;

    public override LayerSpec Read(AttributeArguments arguments) => new DenseSpec(
        arguments.Int(nameof(Attr.OutFeatures), 0),
        arguments.Int(nameof(Attr.InFeatures), Defaults.InFeatures),
        arguments.Bool(nameof(Attr.Bias), Defaults.Bias));

    protected override DenseSpec Bind(DenseSpec spec, string property, int value) => spec;

    protected override string Describe(DenseSpec spec, WrittenArguments written) =>
        Call("Dense", written[nameof(Attr.OutFeatures)] ?? Number(spec.OutFeatures), Named((nameof(Attr.InFeatures), written[nameof(Attr.InFeatures)] ?? (spec.InFeatures == Defaults.InFeatures ? null : Number(spec.InFeatures)))));

    protected override Result<LayerOutput> Rule(DenseSpec spec, LayerStep step)
    {
        if (!step.Input.IsFlat)
        {
            return ShapeFault.Of(DenseOnFeatureMap, null, step.Reference, step.InputText, step.ProducerText);
        }

        if (Positive(step, nameof(Attr.OutFeatures), spec.OutFeatures) is { } invalid)
        {
            return invalid;
        }

        if (spec.InFeatures < 0)
        {
            return ShapeFault.Of(ArgumentOutOfRange, nameof(Attr.InFeatures), step.Reference, nameof(Attr.InFeatures), "positive, or 0 to infer it", Number(spec.InFeatures));
        }

        var inFeatures = step.Input.Channels;
        if (spec.InFeatures != 0 && spec.InFeatures != inFeatures)
        {
            return ShapeFault.Of(DenseInFeaturesMismatch, nameof(Attr.InFeatures), step.Reference, AsWritten(spec, nameof(Attr.InFeatures), spec.InFeatures), Number(inFeatures), step.ProducerText);
        }

        var parameters = checked((inFeatures * spec.OutFeatures) + (spec.Bias ? spec.OutFeatures : 0));
        return new LayerOutput(Shape.Flat(spec.OutFeatures), parameters);
    }

    /// <summary>Each output feature sums in_features products.</summary>
    protected override long MultiplyAdds(DenseSpec spec, Shape input, LayerOutput output) => checked(input.Elements * spec.OutFeatures);

    protected override string NamePrefix(DenseSpec spec) => "fc";

    protected override string ModuleType(DenseSpec spec, bool flatInput) => "Linear";

    protected override string Create(DenseSpec spec, ModuleContext context) =>
        ModuleFactory.Call("Linear", context.InChannels.ToCSharp(), ModuleFactory.Number(spec.OutFeatures), spec.Bias ? null : "hasBias: false");

    protected override IntExpression OutChannels(DenseSpec spec, ModuleContext context) => new ConstantExpression(spec.OutFeatures);

    protected override LayerWeights Weights(DenseSpec spec) => new(WeightRole.Dense, spec.Bias);

    protected override void WriteOnnx(DenseSpec spec, OnnxContext context, IndentedWriter writer) => writer.Line(context.Call("Linear"));

    protected override string CreatePyTorch(DenseSpec spec, PyTorchContext context) =>
        PyTorchContext.Call("Linear", context.InChannels, PyTorchContext.Number(spec.OutFeatures), spec.Bias ? null : "bias=False");
}
