using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;
using static DeclCnn.Generators.Shapes.ShapeChecks;
using Attr = DeclCnn.MaxPoolAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary>
/// <c>[MaxPool]</c> and <c>[AvgPool]</c>. <see cref="StrideIsDefault"/> records that the stride
/// was left to default to the kernel, so the emitted code leaves it out too.
/// </summary>
internal sealed record PoolSpec(PoolKind Pooling, Pair Kernel, Pair Stride, bool StrideIsDefault, Pair Padding, Pair Dilation, bool CeilMode, bool CountIncludePad) : ModuleSpec
{
    public override ModuleKind Module => Pooling;
}

/// <summary><c>[MaxPool]</c> (<c>torch.nn.MaxPool2d</c>) and <c>[AvgPool]</c> (<c>torch.nn.AvgPool2d</c>): one rule, two instances.</summary>
internal sealed class PoolKind : ModuleKind<PoolSpec>
{
    public static readonly PoolKind Max = new(isMax: true);
    public static readonly PoolKind Avg = new(isMax: false);

    private static readonly AvgPoolAttribute AvgDefaults = new(1);

    private readonly bool isMax;

    private PoolKind(bool isMax) => this.isMax = isMax;

    public override IReadOnlyCollection<string> BindableProperties { get; } =
        new[] { nameof(Attr.KernelHeight), nameof(Attr.KernelWidth), nameof(Attr.Stride), nameof(Attr.Padding), nameof(Attr.Dilation) };

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => true;

    private string Attribute => isMax ? "MaxPool" : "AvgPool";

    public override IEnumerable<string> PropertiesOf(string parameter) =>
        parameter == "kernelSize" ? new[] { nameof(Attr.KernelHeight), nameof(Attr.KernelWidth) } : base.PropertiesOf(parameter);

    public override LayerSpec Read(AttributeArguments arguments)
    {
        var kernel = new Pair(arguments.Int(nameof(Attr.KernelHeight), 0), arguments.Int(nameof(Attr.KernelWidth), 0));
        return new PoolSpec(
            this,
            kernel,
            arguments.Pair(nameof(Attr.Stride), kernel),
            !arguments.Has(nameof(Attr.Stride)),
            arguments.Pair(nameof(Attr.Padding), Pair.Square(0)),
            isMax ? arguments.Pair(nameof(Attr.Dilation), Pair.Square(1)) : Pair.Square(1),
            arguments.Bool(nameof(Attr.CeilMode), AvgDefaults.CeilMode),
            arguments.Bool(nameof(AvgPoolAttribute.CountIncludePad), AvgDefaults.CountIncludePad));
    }

    protected override PoolSpec Bind(PoolSpec spec, string property, int value) => property switch
    {
        // A pooling layer's stride defaults to its kernel, also where the kernel is a block parameter.
        nameof(Attr.KernelHeight) => spec with { Kernel = spec.Kernel with { Height = value }, Stride = spec.StrideIsDefault ? spec.Stride with { Height = value } : spec.Stride },
        nameof(Attr.KernelWidth) => spec with { Kernel = spec.Kernel with { Width = value }, Stride = spec.StrideIsDefault ? spec.Stride with { Width = value } : spec.Stride },
        nameof(Attr.Stride) => spec with { Stride = Pair.Square(value), StrideIsDefault = false },
        nameof(Attr.Padding) => spec with { Padding = Pair.Square(value) },
        nameof(Attr.Dilation) => spec with { Dilation = Pair.Square(value) },
        _ => spec,
    };

    protected override string Describe(PoolSpec spec, WrittenArguments written) =>
        Call(Attribute, Size(spec.Kernel, written, nameof(Attr.KernelHeight), nameof(Attr.KernelWidth)), Named(
            (nameof(Attr.Stride), written[nameof(Attr.Stride)] ?? (spec.StrideIsDefault ? null : spec.Stride.ToString())),
            (nameof(Attr.Padding), written[nameof(Attr.Padding)] ?? (spec.Padding == Pair.Square(0) ? null : spec.Padding.ToString())),
            (nameof(Attr.Dilation), written[nameof(Attr.Dilation)] ?? (spec.Dilation == Pair.Square(1) ? null : spec.Dilation.ToString())),
            (nameof(Attr.CeilMode), spec.CeilMode ? "true" : null)));

    protected override Result<LayerOutput> Rule(PoolSpec spec, LayerStep step)
    {
        var invalid = FeatureMap(step)
            ?? Positive(step, nameof(Attr.KernelHeight), spec.Kernel.Height)
            ?? Positive(step, nameof(Attr.KernelWidth), spec.Kernel.Width)
            ?? Positive(step, nameof(Attr.Stride), spec.Stride)
            ?? Positive(step, nameof(Attr.Dilation), spec.Dilation)
            ?? NonNegative(step, nameof(Attr.Padding), spec.Padding);
        if (invalid is not null)
        {
            return invalid;
        }

        // PyTorch: "pad should be at most half of kernel size" (integer halves of the kernel).
        if (spec.Padding.Height > spec.Kernel.Height / 2 || spec.Padding.Width > spec.Kernel.Width / 2)
        {
            var half = new Pair(spec.Kernel.Height / 2, spec.Kernel.Width / 2);
            return ShapeFault.Of(PoolPaddingTooLarge, nameof(Attr.Padding), step.Reference, spec.Padding.ToString(), spec.Kernel.ToString(), half.ToString());
        }

        var height = PooledSize(step.Input.Height, spec.Kernel.Height, spec.Padding.Height, spec.Stride.Height, spec.Dilation.Height, spec.CeilMode);
        var width = PooledSize(step.Input.Width, spec.Kernel.Width, spec.Padding.Width, spec.Stride.Width, spec.Dilation.Width, spec.CeilMode);
        var output = Shape.Map(step.Input.Channels, height, width);
        return NotEmpty(step, null, output, "pad the layers before it, use a smaller window, or remove a pooling layer") is { } empty
            ? empty
            : new LayerOutput(output, 0);
    }

    protected override long MultiplyAdds(PoolSpec spec, Shape input, LayerOutput output) => 0;

    protected override string NamePrefix(PoolSpec spec) => "pool";

    protected override string ModuleType(PoolSpec spec, bool flatInput) => isMax ? "MaxPool2d" : "AvgPool2d";

    protected override string Create(PoolSpec spec, ModuleContext context)
    {
        var arguments = context.Arguments;
        var tuples = !(spec.Kernel.IsSquare && spec.Stride.IsSquare && spec.Padding.IsSquare && spec.Dilation.IsSquare);
        return ModuleFactory.Call(
            context.ModuleType,
            $"kernel_size: {arguments.Pair(nameof(Attr.KernelHeight), nameof(Attr.KernelWidth), spec.Kernel, tuples)}",
            spec.StrideIsDefault && !arguments.IsSymbolic(nameof(Attr.Stride)) ? null : $"stride: {arguments.Pair(nameof(Attr.Stride), nameof(Attr.Stride), spec.Stride, tuples)}",
            arguments.IsDefault(nameof(Attr.Padding), spec.Padding, 0) ? null : $"padding: {arguments.Pair(nameof(Attr.Padding), nameof(Attr.Padding), spec.Padding, tuples)}",
            arguments.IsDefault(nameof(Attr.Dilation), spec.Dilation, 1) ? null : $"dilation: {arguments.Pair(nameof(Attr.Dilation), nameof(Attr.Dilation), spec.Dilation, tuples)}",
            spec.CeilMode ? "ceil_mode: true" : null,
            spec.CountIncludePad ? null : "count_include_pad: false");
    }

    protected override IntExpression OutChannels(PoolSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(PoolSpec spec) => LayerWeights.None;

    protected override void WriteOnnx(PoolSpec spec, OnnxContext context, IndentedWriter writer)
    {
        var arguments = context.Arguments;
        writer.Line(context.Call(
            isMax ? "MaxPool" : "AvgPool",
            $"kernel: {context.Sizes(nameof(Attr.KernelHeight), nameof(Attr.KernelWidth), spec.Kernel)}",
            spec.StrideIsDefault && !arguments.IsSymbolic(nameof(Attr.Stride)) ? null : $"stride: {context.Sizes(nameof(Attr.Stride), nameof(Attr.Stride), spec.Stride)}",
            arguments.IsDefault(nameof(Attr.Padding), spec.Padding, 0) ? null : $"pads: {context.SymmetricPads(nameof(Attr.Padding), spec.Padding)}",
            !isMax || arguments.IsDefault(nameof(Attr.Dilation), spec.Dilation, 1) ? null : $"dilation: {context.Sizes(nameof(Attr.Dilation), nameof(Attr.Dilation), spec.Dilation)}",
            spec.CeilMode ? "ceilMode: true" : null,
            isMax || spec.CountIncludePad ? null : "countIncludePad: false"));
    }

    protected override string CreatePyTorch(PoolSpec spec, PyTorchContext context)
    {
        var arguments = context.Arguments;
        return PyTorchContext.Call(
            context.Module.ModuleType,
            $"kernel_size={context.Pair(nameof(Attr.KernelHeight), nameof(Attr.KernelWidth), spec.Kernel)}",
            spec.StrideIsDefault && !arguments.IsSymbolic(nameof(Attr.Stride)) ? null : $"stride={context.Pair(nameof(Attr.Stride), nameof(Attr.Stride), spec.Stride)}",
            arguments.IsDefault(nameof(Attr.Padding), spec.Padding, 0) ? null : $"padding={context.Pair(nameof(Attr.Padding), nameof(Attr.Padding), spec.Padding)}",
            arguments.IsDefault(nameof(Attr.Dilation), spec.Dilation, 1) ? null : $"dilation={context.Pair(nameof(Attr.Dilation), nameof(Attr.Dilation), spec.Dilation)}",
            spec.CeilMode ? "ceil_mode=True" : null,
            spec.CountIncludePad ? null : "count_include_pad=False");
    }

    /// <summary>PyTorch's pooling_output_shape: floor (or ceil) division, and with ceil mode the last window must start inside the input or its left padding.</summary>
    private static long PooledSize(long input, int kernel, int padding, int stride, int dilation, bool ceilMode)
    {
        var numerator = checked(input + (2L * padding) - ((long)dilation * (kernel - 1)) - 1 + (ceilMode ? stride - 1 : 0));
        var size = FloorDivide(numerator, stride) + 1;
        if (ceilMode && (size - 1) * stride >= input + padding)
        {
            size--;
        }

        return size;
    }
}
