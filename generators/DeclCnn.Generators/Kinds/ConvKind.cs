using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;
using static DeclCnn.Generators.Shapes.ShapeChecks;
using Attr = DeclCnn.ConvAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[Conv]</c>: <c>torch.nn.Conv2d</c>.</summary>
internal sealed record ConvSpec(int OutChannels, Pair Kernel, Pair Stride, PaddingSpec Padding, Pair Dilation, int Groups, bool Bias) : ModuleSpec
{
    public override ModuleKind Module => ConvKind.Instance;
}

/// <summary><c>[Conv]</c>: a 2-D convolution.</summary>
internal sealed class ConvKind : ModuleKind<ConvSpec>
{
    public static readonly ConvKind Instance = new();

    private static readonly ConvAttribute Defaults = new(1, 1);

    private ConvKind()
    {
    }

    public override IReadOnlyCollection<string> BindableProperties { get; } = new[] { nameof(Attr.OutChannels), nameof(Attr.KernelHeight), nameof(Attr.KernelWidth), nameof(Attr.Stride), nameof(Attr.Padding), nameof(Attr.Dilation), nameof(Attr.Groups) };

    public override bool AlwaysNumbered => true;

    public override bool AllowedInBlock => true;

    public override IEnumerable<string> PropertiesOf(string parameter) =>
        parameter == "kernelSize" ? new[] { nameof(Attr.KernelHeight), nameof(Attr.KernelWidth) } : base.PropertiesOf(parameter);

    public override LayerSpec Read(AttributeArguments arguments) => new ConvSpec(
        arguments.Int(nameof(Attr.OutChannels), 0),
        new Pair(arguments.Int(nameof(Attr.KernelHeight), 0), arguments.Int(nameof(Attr.KernelWidth), 0)),
        arguments.Pair(nameof(Attr.Stride), Pair.Square(1)),
        arguments.Padding(nameof(Attr.Padding)),
        arguments.Pair(nameof(Attr.Dilation), Pair.Square(1)),
        arguments.Int(nameof(Attr.Groups), Defaults.Groups),
        arguments.Bool(nameof(Attr.Bias), Defaults.Bias));

    protected override ConvSpec Bind(ConvSpec spec, string property, int value) => property switch
    {
        nameof(Attr.OutChannels) => spec with { OutChannels = value },
        nameof(Attr.KernelHeight) => spec with { Kernel = spec.Kernel with { Height = value } },
        nameof(Attr.KernelWidth) => spec with { Kernel = spec.Kernel with { Width = value } },
        nameof(Attr.Stride) => spec with { Stride = Pair.Square(value) },
        nameof(Attr.Padding) => spec with { Padding = new PaddingSpec(PaddingMode.Explicit, Pair.Square(value)) },
        nameof(Attr.Dilation) => spec with { Dilation = Pair.Square(value) },
        nameof(Attr.Groups) => spec with { Groups = value },
        _ => spec,
    };

    protected override string Describe(ConvSpec spec, WrittenArguments written) =>
        Call("Conv", $"{written[nameof(Attr.OutChannels)] ?? Number(spec.OutChannels)}, {Size(spec.Kernel, written, nameof(Attr.KernelHeight), nameof(Attr.KernelWidth))}", Named(
            (nameof(Attr.Stride), written[nameof(Attr.Stride)] ?? (spec.Stride == Pair.Square(1) ? null : spec.Stride.ToString())),
            (nameof(Attr.Padding), written[nameof(Attr.Padding)] ?? DescribePadding(spec.Padding)),
            (nameof(Attr.Dilation), written[nameof(Attr.Dilation)] ?? (spec.Dilation == Pair.Square(1) ? null : spec.Dilation.ToString())),
            (nameof(Attr.Groups), written[nameof(Attr.Groups)] ?? (spec.Groups == Defaults.Groups ? null : Number(spec.Groups)))));

    protected override Result<LayerOutput> Rule(ConvSpec spec, LayerStep step)
    {
        var invalid = FeatureMap(step)
            ?? Positive(step, nameof(Attr.OutChannels), spec.OutChannels)
            ?? Positive(step, nameof(Attr.KernelHeight), spec.Kernel.Height)
            ?? Positive(step, nameof(Attr.KernelWidth), spec.Kernel.Width)
            ?? Positive(step, nameof(Attr.Stride), spec.Stride)
            ?? Positive(step, nameof(Attr.Dilation), spec.Dilation)
            ?? Positive(step, nameof(Attr.Groups), spec.Groups)
            ?? NonNegative(step, nameof(Attr.Padding), spec.Padding.Amount);
        if (invalid is not null)
        {
            return invalid;
        }

        if (spec.Padding.Mode == PaddingMode.Same && spec.Stride != Pair.Square(1))
        {
            var keepsSize = new Pair(spec.Dilation.Height * (spec.Kernel.Height - 1) / 2, spec.Dilation.Width * (spec.Kernel.Width - 1) / 2);
            return ShapeFault.Of(SamePaddingWithStride, nameof(Attr.Padding), step.Reference, spec.Stride.ToString(), keepsSize.ToString());
        }

        var inChannels = step.Input.Channels;
        if (inChannels % spec.Groups != 0 || spec.OutChannels % spec.Groups != 0)
        {
            return ShapeFault.Of(GroupsDoNotDivideChannels, nameof(Attr.Groups), step.Reference, step.InputText, step.ProducerText, Number(spec.Groups), Number(inChannels), Number(spec.OutChannels));
        }

        // "same" pads d*(k-1) in total (the odd one at the bottom/right), which keeps the size.
        var padding = spec.Padding.Mode == PaddingMode.Explicit ? spec.Padding.Amount : Pair.Square(0);
        var sameTotal = spec.Padding.Mode == PaddingMode.Same;
        var paddedHeight = checked(step.Input.Height + (sameTotal ? (long)spec.Dilation.Height * (spec.Kernel.Height - 1) : 2L * padding.Height));
        var paddedWidth = checked(step.Input.Width + (sameTotal ? (long)spec.Dilation.Width * (spec.Kernel.Width - 1) : 2L * padding.Width));
        var spanHeight = checked(((long)spec.Dilation.Height * (spec.Kernel.Height - 1)) + 1);
        var spanWidth = checked(((long)spec.Dilation.Width * (spec.Kernel.Width - 1)) + 1);
        if (spanHeight > paddedHeight || spanWidth > paddedWidth)
        {
            return ShapeFault.Of(KernelLargerThanInput, spanHeight > paddedHeight ? nameof(Attr.KernelHeight) : nameof(Attr.KernelWidth), step.Reference, step.InputText, step.ProducerText, $"{spanHeight}x{spanWidth}", $"{paddedHeight}x{paddedWidth}");
        }

        var output = Shape.Map(
            spec.OutChannels,
            ((paddedHeight - spanHeight) / spec.Stride.Height) + 1,
            ((paddedWidth - spanWidth) / spec.Stride.Width) + 1);
        var weights = checked((long)spec.OutChannels * (inChannels / spec.Groups) * spec.Kernel.Height * spec.Kernel.Width);
        return new LayerOutput(output, checked(weights + (spec.Bias ? spec.OutChannels : 0)));
    }

    /// <summary>Each output element sums in_channels/groups x kernel products.</summary>
    protected override long MultiplyAdds(ConvSpec spec, Shape input, LayerOutput output) =>
        checked(output.Output.Elements * (input.Channels / spec.Groups) * spec.Kernel.Height * spec.Kernel.Width);

    protected override string NamePrefix(ConvSpec spec) => "conv";

    protected override string ModuleType(ConvSpec spec, bool flatInput) => "Conv2d";

    protected override string Create(ConvSpec spec, ModuleContext context)
    {
        var arguments = context.Arguments;

        // TorchSharp's overloads take either all-scalar or all-tuple sizes.
        var tuples = !(spec.Kernel.IsSquare && spec.Stride.IsSquare && spec.Dilation.IsSquare && spec.Padding.Amount.IsSquare);
        var padding = spec.Padding.Mode switch
        {
            PaddingMode.Same => "padding: global::TorchSharp.Padding.Same",
            PaddingMode.Explicit when spec.Padding.Amount != Pair.Square(0) || arguments.IsSymbolic(nameof(Attr.Padding)) =>
                $"padding: {arguments.Pair(nameof(Attr.Padding), nameof(Attr.Padding), spec.Padding.Amount, tuples)}",
            _ => null,
        };
        return ModuleFactory.Call(
            "Conv2d",
            context.InChannels.ToCSharp(),
            arguments.Int(nameof(Attr.OutChannels), spec.OutChannels),
            $"kernel_size: {arguments.Pair(nameof(Attr.KernelHeight), nameof(Attr.KernelWidth), spec.Kernel, tuples)}",
            arguments.IsDefault(nameof(Attr.Stride), spec.Stride, 1) ? null : $"stride: {arguments.Pair(nameof(Attr.Stride), nameof(Attr.Stride), spec.Stride, tuples)}",
            padding,
            arguments.IsDefault(nameof(Attr.Dilation), spec.Dilation, 1) ? null : $"dilation: {arguments.Pair(nameof(Attr.Dilation), nameof(Attr.Dilation), spec.Dilation, tuples)}",
            spec.Groups == Defaults.Groups && !arguments.IsSymbolic(nameof(Attr.Groups)) ? null : $"groups: {arguments.Int(nameof(Attr.Groups), spec.Groups)}",
            spec.Bias ? null : "bias: false");
    }

    protected override IntExpression OutChannels(ConvSpec spec, ModuleContext context) => context.Arguments.Value(nameof(Attr.OutChannels), spec.OutChannels);

    protected override LayerWeights Weights(ConvSpec spec) => new(WeightRole.Convolution, spec.Bias);

    protected override void WriteOnnx(ConvSpec spec, OnnxContext context, IndentedWriter writer)
    {
        var arguments = context.Arguments;
        writer.Line(context.Call(
            "Conv",
            arguments.IsDefault(nameof(Attr.Stride), spec.Stride, 1) ? null : $"stride: {context.Sizes(nameof(Attr.Stride), nameof(Attr.Stride), spec.Stride)}",
            OnnxPads(spec, context) is { } pads ? $"pads: {pads}" : null,
            arguments.IsDefault(nameof(Attr.Dilation), spec.Dilation, 1) ? null : $"dilation: {context.Sizes(nameof(Attr.Dilation), nameof(Attr.Dilation), spec.Dilation)}",
            spec.Groups == Defaults.Groups && !arguments.IsSymbolic(nameof(Attr.Groups)) ? null : $"groups: {arguments.Int(nameof(Attr.Groups), spec.Groups)}"));
    }

    protected override string CreatePyTorch(ConvSpec spec, PyTorchContext context)
    {
        var arguments = context.Arguments;
        var padding = spec.Padding.Mode switch
        {
            PaddingMode.Same => "padding='same'",
            PaddingMode.Explicit when spec.Padding.Amount != Pair.Square(0) || arguments.IsSymbolic(nameof(Attr.Padding)) =>
                $"padding={context.Pair(nameof(Attr.Padding), nameof(Attr.Padding), spec.Padding.Amount)}",
            _ => null,
        };
        return PyTorchContext.Call(
            "Conv2d",
            context.InChannels,
            context.Int(nameof(Attr.OutChannels), spec.OutChannels),
            $"kernel_size={context.Pair(nameof(Attr.KernelHeight), nameof(Attr.KernelWidth), spec.Kernel)}",
            arguments.IsDefault(nameof(Attr.Stride), spec.Stride, 1) ? null : $"stride={context.Pair(nameof(Attr.Stride), nameof(Attr.Stride), spec.Stride)}",
            padding,
            arguments.IsDefault(nameof(Attr.Dilation), spec.Dilation, 1) ? null : $"dilation={context.Pair(nameof(Attr.Dilation), nameof(Attr.Dilation), spec.Dilation)}",
            spec.Groups == Defaults.Groups && !arguments.IsSymbolic(nameof(Attr.Groups)) ? null : $"groups={context.Int(nameof(Attr.Groups), spec.Groups)}",
            spec.Bias ? null : "bias=False");
    }

    /// <summary>ONNX's pads, before then after each dimension: "same" pads d*(k-1) with the odd one after, as PyTorch does.</summary>
    private static string? OnnxPads(ConvSpec spec, OnnxContext context)
    {
        if (spec.Padding.Mode == PaddingMode.Explicit)
        {
            return context.Arguments.IsDefault(nameof(Attr.Padding), spec.Padding.Amount, 0) ? null : context.SymmetricPads(nameof(Attr.Padding), spec.Padding.Amount);
        }

        if (spec.Padding.Mode == PaddingMode.Valid)
        {
            return null;
        }

        var (top, bottom) = SamePads(context, nameof(Attr.KernelHeight), spec.Kernel.Height, spec.Dilation.Height);
        var (left, right) = SamePads(context, nameof(Attr.KernelWidth), spec.Kernel.Width, spec.Dilation.Width);
        return OnnxContext.LongArray(top, left, bottom, right);
    }

    private static (string Before, string After) SamePads(OnnxContext context, string kernelProperty, int kernel, int dilation)
    {
        var arguments = context.Arguments;
        if (!arguments.IsSymbolic(kernelProperty) && !arguments.IsSymbolic(nameof(Attr.Dilation)))
        {
            var total = dilation * (kernel - 1);
            return (ModuleFactory.Number(total / 2), ModuleFactory.Number(total - (total / 2)));
        }

        var span = $"{arguments.Int(nameof(Attr.Dilation), dilation)} * ({arguments.Int(kernelProperty, kernel)} - 1)";
        return ($"{span} / 2", $"{span} - ({span} / 2)");
    }

    private static string? DescribePadding(PaddingSpec padding) => padding.Mode switch
    {
        PaddingMode.Same => "\"same\"",
        PaddingMode.Valid => "\"valid\"",
        _ => padding.Amount == Pair.Square(0) ? null : padding.Amount.ToString(),
    };
}
