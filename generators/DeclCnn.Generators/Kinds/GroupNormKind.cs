using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;
using static DeclCnn.Generators.Shapes.ShapeChecks;
using Attr = DeclCnn.GroupNormAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[GroupNorm]</c>.</summary>
internal sealed record GroupNormSpec(int Groups, double Eps, bool Affine) : ModuleSpec
{
    public override ModuleKind Module => GroupNormKind.Instance;
}

/// <summary><c>[GroupNorm]</c>: <c>torch.nn.GroupNorm</c> over the inferred channels; 2*C parameters when affine.</summary>
internal sealed class GroupNormKind : ModuleKind<GroupNormSpec>
{
    public static readonly GroupNormKind Instance = new();

    private static readonly Attr Defaults = new(1);

    private GroupNormKind()
    {
    }

    public override IReadOnlyCollection<string> BindableProperties { get; } = new[] { nameof(Attr.Groups) };

    public override bool AlwaysNumbered => true;

    public override bool AllowedInBlock => true;

    public override LayerSpec Read(AttributeArguments arguments) => new GroupNormSpec(
        arguments.Int(nameof(Attr.Groups), 0),
        arguments.Double(nameof(Attr.Eps), Defaults.Eps),
        arguments.Bool(nameof(Attr.Affine), Defaults.Affine));

    protected override GroupNormSpec Bind(GroupNormSpec spec, string property, int value) =>
        property == nameof(Attr.Groups) ? spec with { Groups = value } : spec;

    protected override string Describe(GroupNormSpec spec, WrittenArguments written) =>
        Call("GroupNorm", written[nameof(Attr.Groups)] ?? Number(spec.Groups), string.Empty);

    protected override Result<LayerOutput> Rule(GroupNormSpec spec, LayerStep step)
    {
        // TorchSharp's GroupNorm takes [N, C, H, W] only (PyTorch's also takes [N, C]).
        if ((FeatureMap(step) ?? Positive(step, nameof(Attr.Groups), spec.Groups)) is { } invalid)
        {
            return invalid;
        }

        var channels = step.Input.Channels;
        if (channels % spec.Groups != 0)
        {
            return ShapeFault.Of(GroupNormGroupsDoNotDivideChannels, nameof(Attr.Groups), step.Reference, step.InputText, step.ProducerText, Number(spec.Groups), Number(channels));
        }

        return new LayerOutput(step.Input, spec.Affine ? checked(2 * channels) : 0);
    }

    protected override long MultiplyAdds(GroupNormSpec spec, Shape input, LayerOutput output) => 0;

    protected override string NamePrefix(GroupNormSpec spec) => "gn";

    protected override string ModuleType(GroupNormSpec spec, bool flatInput) => "GroupNorm";

    protected override string Create(GroupNormSpec spec, ModuleContext context) => ModuleFactory.Call(
        "GroupNorm",
        context.Arguments.Int(nameof(Attr.Groups), spec.Groups),
        context.InChannels.ToCSharp(),
        spec.Eps == Defaults.Eps ? null : $"eps: {ModuleFactory.Number(spec.Eps)}",
        spec.Affine == Defaults.Affine ? null : "affine: false");

    protected override IntExpression OutChannels(GroupNormSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(GroupNormSpec spec) => spec.Affine ? new(WeightRole.Normalization, HasBias: true) : LayerWeights.None;

    protected override void WriteOnnx(GroupNormSpec spec, OnnxContext context, IndentedWriter writer) => writer.Line(context.Call(
        "GroupNorm",
        $"groups: {context.Arguments.Int(nameof(Attr.Groups), spec.Groups)}",
        spec.Eps == Defaults.Eps ? null : $"eps: {ModuleFactory.Number(spec.Eps)}",
        spec.Affine == Defaults.Affine ? null : "affine: false"));

    protected override string CreatePyTorch(GroupNormSpec spec, PyTorchContext context) => PyTorchContext.Call(
        "GroupNorm",
        context.Int(nameof(Attr.Groups), spec.Groups),
        context.InChannels,
        spec.Eps == Defaults.Eps ? null : $"eps={PyTorchContext.Number(spec.Eps)}",
        spec.Affine == Defaults.Affine ? null : "affine=False");
}
