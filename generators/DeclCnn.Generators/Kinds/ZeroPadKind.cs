using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Shapes.LayerDescriber;
using static DeclCnn.Generators.Shapes.ShapeChecks;
using Attr = DeclCnn.ZeroPadAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[ZeroPad]</c>: the zeros added on each side.</summary>
internal sealed record ZeroPadSpec(int Left, int Right, int Top, int Bottom) : ModuleSpec
{
    public override ModuleKind Module => ZeroPadKind.Instance;

    public bool IsUniform => Left == Right && Right == Top && Top == Bottom;
}

/// <summary><c>[ZeroPad]</c>: <c>torch.nn.ZeroPad2d</c>, which adds rows and columns of zeros to a feature map.</summary>
internal sealed class ZeroPadKind : ModuleKind<ZeroPadSpec>
{
    public static readonly ZeroPadKind Instance = new();

    private ZeroPadKind()
    {
    }

    public override IReadOnlyCollection<string> BindableProperties { get; } =
        new[] { nameof(Attr.Left), nameof(Attr.Right), nameof(Attr.Top), nameof(Attr.Bottom) };

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => true;

    public override IEnumerable<string> PropertiesOf(string parameter) => parameter == "padding" ? BindableProperties : base.PropertiesOf(parameter);

    public override LayerSpec Read(AttributeArguments arguments) => new ZeroPadSpec(
        arguments.Int(nameof(Attr.Left), 0),
        arguments.Int(nameof(Attr.Right), 0),
        arguments.Int(nameof(Attr.Top), 0),
        arguments.Int(nameof(Attr.Bottom), 0));

    protected override ZeroPadSpec Bind(ZeroPadSpec spec, string property, int value) => property switch
    {
        nameof(Attr.Left) => spec with { Left = value },
        nameof(Attr.Right) => spec with { Right = value },
        nameof(Attr.Top) => spec with { Top = value },
        nameof(Attr.Bottom) => spec with { Bottom = value },
        _ => spec,
    };

    protected override string Describe(ZeroPadSpec spec, WrittenArguments written)
    {
        var left = written[nameof(Attr.Left)] ?? Number(spec.Left);
        var right = written[nameof(Attr.Right)] ?? Number(spec.Right);
        var top = written[nameof(Attr.Top)] ?? Number(spec.Top);
        var bottom = written[nameof(Attr.Bottom)] ?? Number(spec.Bottom);
        return left == right && right == top && top == bottom
            ? Call("ZeroPad", left, string.Empty)
            : Call("ZeroPad", $"{left}, {right}, {top}, {bottom}", string.Empty);
    }

    /// <summary>
    /// Stricter than PyTorch, which crops with a negative padding and, on a flat <c>[N, F]</c> input,
    /// pads the batch dimension as the height.
    /// </summary>
    protected override Result<LayerOutput> Rule(ZeroPadSpec spec, LayerStep step)
    {
        var invalid = FeatureMap(step)
            ?? NonNegative(step, nameof(Attr.Left), spec.Left)
            ?? NonNegative(step, nameof(Attr.Right), spec.Right)
            ?? NonNegative(step, nameof(Attr.Top), spec.Top)
            ?? NonNegative(step, nameof(Attr.Bottom), spec.Bottom);
        if (invalid is not null)
        {
            return invalid;
        }

        var output = Shape.Map(step.Input.Channels, checked(step.Input.Height + spec.Top + spec.Bottom), checked(step.Input.Width + spec.Left + spec.Right));
        return new LayerOutput(output, 0);
    }

    protected override long MultiplyAdds(ZeroPadSpec spec, Shape input, LayerOutput output) => 0;

    protected override string NamePrefix(ZeroPadSpec spec) => "pad";

    protected override string ModuleType(ZeroPadSpec spec, bool flatInput) => "ZeroPad2d";

    protected override string Create(ZeroPadSpec spec, ModuleContext context)
    {
        var arguments = context.Arguments;
        var left = arguments.Int(nameof(Attr.Left), spec.Left);
        var right = arguments.Int(nameof(Attr.Right), spec.Right);
        var top = arguments.Int(nameof(Attr.Top), spec.Top);
        var bottom = arguments.Int(nameof(Attr.Bottom), spec.Bottom);
        return left == right && right == top && top == bottom
            ? ModuleFactory.Call("ZeroPad2d", left)
            : ModuleFactory.Call("ZeroPad2d", $"({left}, {right}, {top}, {bottom})");
    }

    protected override IntExpression OutChannels(ZeroPadSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(ZeroPadSpec spec) => LayerWeights.None;

    protected override void WriteOnnx(ZeroPadSpec spec, OnnxContext context, IndentedWriter writer)
    {
        var arguments = context.Arguments;
        writer.Line(context.Call(
            "ZeroPad",
            $"left: {arguments.Int(nameof(Attr.Left), spec.Left)}",
            $"right: {arguments.Int(nameof(Attr.Right), spec.Right)}",
            $"top: {arguments.Int(nameof(Attr.Top), spec.Top)}",
            $"bottom: {arguments.Int(nameof(Attr.Bottom), spec.Bottom)}"));
    }

    protected override string CreatePyTorch(ZeroPadSpec spec, PyTorchContext context)
    {
        var left = context.Int(nameof(Attr.Left), spec.Left);
        var right = context.Int(nameof(Attr.Right), spec.Right);
        var top = context.Int(nameof(Attr.Top), spec.Top);
        var bottom = context.Int(nameof(Attr.Bottom), spec.Bottom);
        return left == right && right == top && top == bottom
            ? PyTorchContext.Call("ZeroPad2d", left)
            : PyTorchContext.Call("ZeroPad2d", $"({left}, {right}, {top}, {bottom})");
    }
}
