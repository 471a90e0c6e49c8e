using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Shapes.LayerDescriber;
using static DeclCnn.Generators.Shapes.ShapeChecks;
using Attr = DeclCnn.AdaptiveAvgPoolAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[AdaptiveAvgPool]</c>, and <c>[GlobalAvgPool]</c> as a 1x1 output.</summary>
internal sealed record AdaptiveAvgPoolSpec(Pair Output, bool IsGlobal) : ModuleSpec
{
    public override ModuleKind Module => AdaptiveAvgPoolKind.Adaptive;
}

/// <summary><c>[AdaptiveAvgPool]</c> and <c>[GlobalAvgPool]</c>: <c>torch.nn.AdaptiveAvgPool2d</c>, whose output is the requested size.</summary>
internal sealed class AdaptiveAvgPoolKind : ModuleKind<AdaptiveAvgPoolSpec>
{
    public static readonly AdaptiveAvgPoolKind Adaptive = new(isGlobal: false);
    public static readonly AdaptiveAvgPoolKind Global = new(isGlobal: true);

    private readonly bool isGlobal;

    private AdaptiveAvgPoolKind(bool isGlobal) => this.isGlobal = isGlobal;

    public override IReadOnlyCollection<string> BindableProperties { get; } = new[] { nameof(Attr.OutputHeight), nameof(Attr.OutputWidth) };

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => true;

    public override IEnumerable<string> PropertiesOf(string parameter) =>
        parameter == "outputSize" ? new[] { nameof(Attr.OutputHeight), nameof(Attr.OutputWidth) } : base.PropertiesOf(parameter);

    public override LayerSpec Read(AttributeArguments arguments) => isGlobal
        ? new AdaptiveAvgPoolSpec(Pair.Square(1), IsGlobal: true)
        : new AdaptiveAvgPoolSpec(new Pair(arguments.Int(nameof(Attr.OutputHeight), 0), arguments.Int(nameof(Attr.OutputWidth), 0)), IsGlobal: false);

    protected override AdaptiveAvgPoolSpec Bind(AdaptiveAvgPoolSpec spec, string property, int value) => property switch
    {
        nameof(Attr.OutputHeight) => spec with { Output = spec.Output with { Height = value } },
        nameof(Attr.OutputWidth) => spec with { Output = spec.Output with { Width = value } },
        _ => spec,
    };

    protected override string Describe(AdaptiveAvgPoolSpec spec, WrittenArguments written) => spec.IsGlobal
        ? "GlobalAvgPool"
        : Call("AdaptiveAvgPool", Size(spec.Output, written, nameof(Attr.OutputHeight), nameof(Attr.OutputWidth)), string.Empty);

    protected override Result<LayerOutput> Rule(AdaptiveAvgPoolSpec spec, LayerStep step)
    {
        var invalid = FeatureMap(step)
            ?? Positive(step, nameof(Attr.OutputHeight), spec.Output.Height)
            ?? Positive(step, nameof(Attr.OutputWidth), spec.Output.Width);
        return invalid is not null
            ? invalid
            : new LayerOutput(Shape.Map(step.Input.Channels, spec.Output.Height, spec.Output.Width), 0);
    }

    protected override string NamePrefix(AdaptiveAvgPoolSpec spec) => "avgpool";

    protected override string ModuleType(AdaptiveAvgPoolSpec spec, bool flatInput) => "AdaptiveAvgPool2d";

    protected override string Create(AdaptiveAvgPoolSpec spec, ModuleContext context) =>
        ModuleFactory.Call("AdaptiveAvgPool2d", context.Arguments.Pair(nameof(Attr.OutputHeight), nameof(Attr.OutputWidth), spec.Output, forceTuple: false));

    protected override IntExpression OutChannels(AdaptiveAvgPoolSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(AdaptiveAvgPoolSpec spec) => LayerWeights.None;
}
