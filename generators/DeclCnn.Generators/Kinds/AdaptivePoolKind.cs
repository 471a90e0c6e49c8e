using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Shapes.LayerDescriber;
using static DeclCnn.Generators.Shapes.ShapeChecks;
using Attr = DeclCnn.AdaptiveAvgPoolAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[AdaptiveAvgPool]</c> and <c>[AdaptiveMaxPool]</c>, and <c>[GlobalAvgPool]</c> and <c>[GlobalMaxPool]</c> as a 1x1 output.</summary>
internal sealed record AdaptivePoolSpec(AdaptivePoolKind Pooling, Pair Output) : ModuleSpec
{
    public override ModuleKind Module => Pooling;
}

/// <summary>
/// <c>[AdaptiveAvgPool]</c>, <c>[GlobalAvgPool]</c> (<c>torch.nn.AdaptiveAvgPool2d</c>) and
/// <c>[AdaptiveMaxPool]</c>, <c>[GlobalMaxPool]</c> (<c>torch.nn.AdaptiveMaxPool2d</c>): the output is
/// the requested size. One rule, four instances.
/// </summary>
internal sealed class AdaptivePoolKind : ModuleKind<AdaptivePoolSpec>
{
    public static readonly AdaptivePoolKind Avg = new(isMax: false, isGlobal: false);
    public static readonly AdaptivePoolKind GlobalAvg = new(isMax: false, isGlobal: true);
    public static readonly AdaptivePoolKind Max = new(isMax: true, isGlobal: false);
    public static readonly AdaptivePoolKind GlobalMax = new(isMax: true, isGlobal: true);

    private readonly bool isMax;
    private readonly bool isGlobal;

    private AdaptivePoolKind(bool isMax, bool isGlobal)
    {
        this.isMax = isMax;
        this.isGlobal = isGlobal;
    }

    public override IReadOnlyCollection<string> BindableProperties { get; } = new[] { nameof(Attr.OutputHeight), nameof(Attr.OutputWidth) };

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => true;

    private string Pooling => isMax ? "Max" : "Avg";

    public override IEnumerable<string> PropertiesOf(string parameter) =>
        parameter == "outputSize" ? new[] { nameof(Attr.OutputHeight), nameof(Attr.OutputWidth) } : base.PropertiesOf(parameter);

    public override LayerSpec Read(AttributeArguments arguments) => isGlobal
        ? new AdaptivePoolSpec(this, Pair.Square(1))
        : new AdaptivePoolSpec(this, new Pair(arguments.Int(nameof(Attr.OutputHeight), 0), arguments.Int(nameof(Attr.OutputWidth), 0)));

    protected override AdaptivePoolSpec Bind(AdaptivePoolSpec spec, string property, int value) => property switch
    {
        nameof(Attr.OutputHeight) => spec with { Output = spec.Output with { Height = value } },
        nameof(Attr.OutputWidth) => spec with { Output = spec.Output with { Width = value } },
        _ => spec,
    };

    protected override string Describe(AdaptivePoolSpec spec, WrittenArguments written) => isGlobal
        ? $"Global{Pooling}Pool"
        : Call($"Adaptive{Pooling}Pool", Size(spec.Output, written, nameof(Attr.OutputHeight), nameof(Attr.OutputWidth)), string.Empty);

    protected override Result<LayerOutput> Rule(AdaptivePoolSpec spec, LayerStep step)
    {
        var invalid = FeatureMap(step)
            ?? Positive(step, nameof(Attr.OutputHeight), spec.Output.Height)
            ?? Positive(step, nameof(Attr.OutputWidth), spec.Output.Width);
        return invalid is not null
            ? invalid
            : new LayerOutput(Shape.Map(step.Input.Channels, spec.Output.Height, spec.Output.Width), 0);
    }

    protected override long MultiplyAdds(AdaptivePoolSpec spec, Shape input, LayerOutput output) => 0;

    protected override string NamePrefix(AdaptivePoolSpec spec) => isMax ? "maxpool" : "avgpool";

    protected override string ModuleType(AdaptivePoolSpec spec, bool flatInput) => $"Adaptive{Pooling}Pool2d";

    protected override string Create(AdaptivePoolSpec spec, ModuleContext context)
    {
        var arguments = context.Arguments;
        if (!isMax)
        {
            return ModuleFactory.Call(context.ModuleType, arguments.Pair(nameof(Attr.OutputHeight), nameof(Attr.OutputWidth), spec.Output, forceTuple: false));
        }

        // TorchSharp's AdaptiveMaxPool2d takes the size as an array only.
        var height = arguments.Int(nameof(Attr.OutputHeight), spec.Output.Height);
        var width = arguments.Int(nameof(Attr.OutputWidth), spec.Output.Width);
        return ModuleFactory.Call(context.ModuleType, $"new long[] {{ {height}, {width} }}");
    }

    protected override IntExpression OutChannels(AdaptivePoolSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(AdaptivePoolSpec spec) => LayerWeights.None;

    /// <summary>A 1x1 output is global pooling; any other size needs the input size, known in a model but not in a block, where the builder refuses it.</summary>
    protected override void WriteOnnx(AdaptivePoolSpec spec, OnnxContext context, IndentedWriter writer)
    {
        if (isGlobal)
        {
            writer.Line(context.Call($"Global{Pooling}Pool"));
            return;
        }

        var inputSize = context.Input is { } input
            ? OnnxContext.LongArray(ModuleFactory.Number(input.Height), ModuleFactory.Number(input.Width))
            : "null";
        writer.Line(context.Call($"Adaptive{Pooling}Pool", $"inputSize: {inputSize}", $"outputSize: {context.Sizes(nameof(Attr.OutputHeight), nameof(Attr.OutputWidth), spec.Output)}"));
    }

    protected override string CreatePyTorch(AdaptivePoolSpec spec, PyTorchContext context) =>
        PyTorchContext.Call(context.Module.ModuleType, context.Pair(nameof(Attr.OutputHeight), nameof(Attr.OutputWidth), spec.Output));
}
