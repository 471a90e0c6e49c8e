using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Shapes.LayerDescriber;
using static DeclCnn.Generators.Shapes.ShapeChecks;
using Attr = DeclCnn.LocalResponseNormAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[LocalResponseNorm]</c>.</summary>
internal sealed record LocalResponseNormSpec(int Size, double Alpha, double Beta, double K) : ModuleSpec
{
    public override ModuleKind Module => LocalResponseNormKind.Instance;
}

/// <summary><c>[LocalResponseNorm]</c>: <c>torch.nn.LocalResponseNorm</c>, which keeps the shape.</summary>
internal sealed class LocalResponseNormKind : ModuleKind<LocalResponseNormSpec>
{
    public static readonly LocalResponseNormKind Instance = new();

    private static readonly Attr Defaults = new(1);

    private LocalResponseNormKind()
    {
    }

    public override IReadOnlyCollection<string> BindableProperties { get; } = new[] { nameof(Attr.Size) };

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => true;

    public override LayerSpec Read(AttributeArguments arguments) => new LocalResponseNormSpec(
        arguments.Int(nameof(Attr.Size), 0),
        arguments.Double(nameof(Attr.Alpha), Defaults.Alpha),
        arguments.Double(nameof(Attr.Beta), Defaults.Beta),
        arguments.Double(nameof(Attr.K), Defaults.K));

    protected override LocalResponseNormSpec Bind(LocalResponseNormSpec spec, string property, int value) =>
        property == nameof(Attr.Size) ? spec with { Size = value } : spec;

    protected override string Describe(LocalResponseNormSpec spec, WrittenArguments written) =>
        Call("LocalResponseNorm", written[nameof(Attr.Size)] ?? Number(spec.Size), string.Empty);

    protected override Result<LayerOutput> Rule(LocalResponseNormSpec spec, LayerStep step) =>
        (FeatureMap(step) ?? Positive(step, nameof(Attr.Size), spec.Size)) is { } invalid
            ? invalid
            : new LayerOutput(step.Input, 0);

    protected override long MultiplyAdds(LocalResponseNormSpec spec, Shape input, LayerOutput output) => 0;

    protected override string NamePrefix(LocalResponseNormSpec spec) => "lrn";

    protected override string ModuleType(LocalResponseNormSpec spec, bool flatInput) => "LocalResponseNorm";

    protected override string Create(LocalResponseNormSpec spec, ModuleContext context) => ModuleFactory.Call(
        "LocalResponseNorm",
        context.Arguments.Int(nameof(Attr.Size), spec.Size),
        spec.Alpha == Defaults.Alpha ? null : $"alpha: {ModuleFactory.Number(spec.Alpha)}",
        spec.Beta == Defaults.Beta ? null : $"beta: {ModuleFactory.Number(spec.Beta)}",
        spec.K == Defaults.K ? null : $"k: {ModuleFactory.Number(spec.K)}");

    protected override IntExpression OutChannels(LocalResponseNormSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(LocalResponseNormSpec spec) => LayerWeights.None;

    protected override void WriteOnnx(LocalResponseNormSpec spec, OnnxContext context, IndentedWriter writer) => writer.Line(context.Call(
        "LocalResponseNorm",
        $"size: {context.Arguments.Int(nameof(Attr.Size), spec.Size)}",
        spec.Alpha == Defaults.Alpha ? null : $"alpha: {ModuleFactory.Number(spec.Alpha)}",
        spec.Beta == Defaults.Beta ? null : $"beta: {ModuleFactory.Number(spec.Beta)}",
        spec.K == Defaults.K ? null : $"k: {ModuleFactory.Number(spec.K)}"));

    protected override string CreatePyTorch(LocalResponseNormSpec spec, PyTorchContext context) => PyTorchContext.Call(
        "LocalResponseNorm",
        context.Int(nameof(Attr.Size), spec.Size),
        spec.Alpha == Defaults.Alpha ? null : $"alpha={PyTorchContext.Number(spec.Alpha)}",
        spec.Beta == Defaults.Beta ? null : $"beta={PyTorchContext.Number(spec.Beta)}",
        spec.K == Defaults.K ? null : $"k={PyTorchContext.Number(spec.K)}");
}
