using System;
using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;
using static DeclCnn.Generators.Shapes.ShapeChecks;
using Attr = DeclCnn.ConvTransposeAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[ConvTranspose]</c>: <c>torch.nn.ConvTranspose2d</c>.</summary>
internal sealed record ConvTransposeSpec(int OutChannels, Pair Kernel, Pair Stride, Pair Padding, int OutputPadding, Pair Dilation, int Groups, bool Bias) : ModuleSpec
{
    public override ModuleKind Module => ConvTransposeKind.Instance;
}

/// <summary><c>[ConvTranspose]</c>: a 2-D transposed convolution, the learned upsampling.</summary>
internal sealed class ConvTransposeKind : ModuleKind<ConvTransposeSpec>
{
    public static readonly ConvTransposeKind Instance = new();

    private static readonly Attr Defaults = new(1, 1);

    private ConvTransposeKind()
    {
    }

    public override IReadOnlyCollection<string> BindableProperties { get; } =
        new[] { nameof(Attr.OutChannels), nameof(Attr.KernelHeight), nameof(Attr.KernelWidth), nameof(Attr.Stride), nameof(Attr.Padding), nameof(Attr.OutputPadding), nameof(Attr.Dilation), nameof(Attr.Groups) };

    public override bool AlwaysNumbered => true;

    public override bool AllowedInBlock => true;

    public override IEnumerable<string> PropertiesOf(string parameter) =>
        parameter == "kernelSize" ? new[] { nameof(Attr.KernelHeight), nameof(Attr.KernelWidth) } : base.PropertiesOf(parameter);

    public override LayerSpec Read(AttributeArguments arguments) => new ConvTransposeSpec(
        arguments.Int(nameof(Attr.OutChannels), 0),
        new Pair(arguments.Int(nameof(Attr.KernelHeight), 0), arguments.Int(nameof(Attr.KernelWidth), 0)),
        arguments.Pair(nameof(Attr.Stride), Pair.Square(1)),
        arguments.Pair(nameof(Attr.Padding), Pair.Square(0)),
        arguments.Int(nameof(Attr.OutputPadding), Defaults.OutputPadding),
        arguments.Pair(nameof(Attr.Dilation), Pair.Square(1)),
        arguments.Int(nameof(Attr.Groups), Defaults.Groups),
        arguments.Bool(nameof(Attr.Bias), Defaults.Bias));

    protected override ConvTransposeSpec Bind(ConvTransposeSpec spec, string property, int value) => property switch
    {
        nameof(Attr.OutChannels) => spec with { OutChannels = value },
        nameof(Attr.KernelHeight) => spec with { Kernel = spec.Kernel with { Height = value } },
        nameof(Attr.KernelWidth) => spec with { Kernel = spec.Kernel with { Width = value } },
        nameof(Attr.Stride) => spec with { Stride = Pair.Square(value) },
        nameof(Attr.Padding) => spec with { Padding = Pair.Square(value) },
        nameof(Attr.OutputPadding) => spec with { OutputPadding = value },
        nameof(Attr.Dilation) => spec with { Dilation = Pair.Square(value) },
        nameof(Attr.Groups) => spec with { Groups = value },
        _ => spec,
    };

    protected override string Describe(ConvTransposeSpec spec, WrittenArguments written) =>
        Call("ConvTranspose", $"{written[nameof(Attr.OutChannels)] ?? Number(spec.OutChannels)}, {Size(spec.Kernel, written, nameof(Attr.KernelHeight), nameof(Attr.KernelWidth))}", Named(
            (nameof(Attr.Stride), written[nameof(Attr.Stride)] ?? (spec.Stride == Pair.Square(1) ? null : spec.Stride.ToString())),
            (nameof(Attr.Padding), written[nameof(Attr.Padding)] ?? (spec.Padding == Pair.Square(0) ? null : spec.Padding.ToString())),
            (nameof(Attr.OutputPadding), written[nameof(Attr.OutputPadding)] ?? (spec.OutputPadding == Defaults.OutputPadding ? null : Number(spec.OutputPadding))),
            (nameof(Attr.Dilation), written[nameof(Attr.Dilation)] ?? (spec.Dilation == Pair.Square(1) ? null : spec.Dilation.ToString())),
            (nameof(Attr.Groups), written[nameof(Attr.Groups)] ?? (spec.Groups == Defaults.Groups ? null : Number(spec.Groups)))));

    protected override Result<LayerOutput> Rule(ConvTransposeSpec spec, LayerStep step)
    {
        var invalid = FeatureMap(step)
            ?? Positive(step, nameof(Attr.OutChannels), spec.OutChannels)
            ?? Positive(step, nameof(Attr.KernelHeight), spec.Kernel.Height)
            ?? Positive(step, nameof(Attr.KernelWidth), spec.Kernel.Width)
            ?? Positive(step, nameof(Attr.Stride), spec.Stride)
            ?? Positive(step, nameof(Attr.Dilation), spec.Dilation)
            ?? Positive(step, nameof(Attr.Groups), spec.Groups)
            ?? NonNegative(step, nameof(Attr.Padding), spec.Padding)
            ?? NonNegative(step, nameof(Attr.OutputPadding), (long)spec.OutputPadding);
        if (invalid is not null)
        {
            return invalid;
        }

        // PyTorch: "output padding must be smaller than either stride or dilation", per dimension.
        var limit = new Pair(Math.Max(spec.Stride.Height, spec.Dilation.Height), Math.Max(spec.Stride.Width, spec.Dilation.Width));
        if (spec.OutputPadding >= limit.Height || spec.OutputPadding >= limit.Width)
        {
            return ShapeFault.Of(ArgumentOutOfRange, nameof(Attr.OutputPadding), step.Reference, nameof(Attr.OutputPadding), $"less than the larger of Stride and Dilation, {limit}", Number(spec.OutputPadding));
        }

        var inChannels = step.Input.Channels;
        if (inChannels % spec.Groups != 0 || spec.OutChannels % spec.Groups != 0)
        {
            return ShapeFault.Of(GroupsDoNotDivideChannels, nameof(Attr.Groups), step.Reference, step.InputText, step.ProducerText, Number(spec.Groups), Number(inChannels), Number(spec.OutChannels));
        }

        var output = Shape.Map(
            spec.OutChannels,
            TransposedSize(step.Input.Height, spec.Kernel.Height, spec.Stride.Height, spec.Padding.Height, spec.OutputPadding, spec.Dilation.Height),
            TransposedSize(step.Input.Width, spec.Kernel.Width, spec.Stride.Width, spec.Padding.Width, spec.OutputPadding, spec.Dilation.Width));
        if (NotEmpty(step, nameof(Attr.Padding), output, "use less padding") is { } empty)
        {
            return empty;
        }

        // The weight is [in, out / groups, kh, kw].
        var weights = checked(inChannels * (spec.OutChannels / spec.Groups) * spec.Kernel.Height * spec.Kernel.Width);
        return new LayerOutput(output, checked(weights + (spec.Bias ? spec.OutChannels : 0)));
    }

    /// <summary>Each input element is multiplied into out_channels/groups x kernel outputs.</summary>
    protected override long MultiplyAdds(ConvTransposeSpec spec, Shape input, LayerOutput output) =>
        checked(input.Elements * (spec.OutChannels / spec.Groups) * spec.Kernel.Height * spec.Kernel.Width);

    protected override string NamePrefix(ConvTransposeSpec spec) => "deconv";

    protected override string ModuleType(ConvTransposeSpec spec, bool flatInput) => "ConvTranspose2d";

    protected override string Create(ConvTransposeSpec spec, ModuleContext context)
    {
        var arguments = context.Arguments;

        // TorchSharp's overloads take either all-scalar or all-tuple sizes.
        var tuples = !(spec.Kernel.IsSquare && spec.Stride.IsSquare && spec.Padding.IsSquare && spec.Dilation.IsSquare);
        string? Size(string property, Pair value, int defaultValue) =>
            arguments.IsDefault(property, value, defaultValue) ? null : arguments.Pair(property, property, value, tuples);

        return ModuleFactory.Call(
            "ConvTranspose2d",
            context.InChannels.ToCSharp(),
            arguments.Int(nameof(Attr.OutChannels), spec.OutChannels),
            $"kernel_size: {arguments.Pair(nameof(Attr.KernelHeight), nameof(Attr.KernelWidth), spec.Kernel, tuples)}",
            Size(nameof(Attr.Stride), spec.Stride, 1) is { } stride ? $"stride: {stride}" : null,
            Size(nameof(Attr.Padding), spec.Padding, 0) is { } padding ? $"padding: {padding}" : null,
            Size(nameof(Attr.OutputPadding), Pair.Square(spec.OutputPadding), Defaults.OutputPadding) is { } outputPadding ? $"output_padding: {outputPadding}" : null,
            Size(nameof(Attr.Dilation), spec.Dilation, 1) is { } dilation ? $"dilation: {dilation}" : null,
            spec.Groups == Defaults.Groups && !arguments.IsSymbolic(nameof(Attr.Groups)) ? null : $"groups: {arguments.Int(nameof(Attr.Groups), spec.Groups)}",
            spec.Bias ? null : "bias: false");
    }

    protected override IntExpression OutChannels(ConvTransposeSpec spec, ModuleContext context) => context.Arguments.Value(nameof(Attr.OutChannels), spec.OutChannels);

    protected override LayerWeights Weights(ConvTransposeSpec spec) => new(WeightRole.Convolution, spec.Bias);

    protected override void WriteOnnx(ConvTransposeSpec spec, OnnxContext context, IndentedWriter writer)
    {
        var arguments = context.Arguments;
        writer.Line(context.Call(
            "ConvTranspose",
            arguments.IsDefault(nameof(Attr.Stride), spec.Stride, 1) ? null : $"stride: {context.Sizes(nameof(Attr.Stride), nameof(Attr.Stride), spec.Stride)}",
            arguments.IsDefault(nameof(Attr.Padding), spec.Padding, 0) ? null : $"pads: {context.SymmetricPads(nameof(Attr.Padding), spec.Padding)}",
            arguments.IsDefault(nameof(Attr.OutputPadding), Pair.Square(spec.OutputPadding), Defaults.OutputPadding) ? null : $"outputPadding: {context.Sizes(nameof(Attr.OutputPadding), nameof(Attr.OutputPadding), Pair.Square(spec.OutputPadding))}",
            arguments.IsDefault(nameof(Attr.Dilation), spec.Dilation, 1) ? null : $"dilation: {context.Sizes(nameof(Attr.Dilation), nameof(Attr.Dilation), spec.Dilation)}",
            spec.Groups == Defaults.Groups && !arguments.IsSymbolic(nameof(Attr.Groups)) ? null : $"groups: {arguments.Int(nameof(Attr.Groups), spec.Groups)}"));
    }

    protected override string CreatePyTorch(ConvTransposeSpec spec, PyTorchContext context)
    {
        var arguments = context.Arguments;
        string? Size(string property, Pair value, int defaultValue) =>
            arguments.IsDefault(property, value, defaultValue) ? null : context.Pair(property, property, value);

        return PyTorchContext.Call(
            "ConvTranspose2d",
            context.InChannels,
            context.Int(nameof(Attr.OutChannels), spec.OutChannels),
            $"kernel_size={context.Pair(nameof(Attr.KernelHeight), nameof(Attr.KernelWidth), spec.Kernel)}",
            Size(nameof(Attr.Stride), spec.Stride, 1) is { } stride ? $"stride={stride}" : null,
            Size(nameof(Attr.Padding), spec.Padding, 0) is { } padding ? $"padding={padding}" : null,
            Size(nameof(Attr.OutputPadding), Pair.Square(spec.OutputPadding), Defaults.OutputPadding) is { } outputPadding ? $"output_padding={outputPadding}" : null,
            Size(nameof(Attr.Dilation), spec.Dilation, 1) is { } dilation ? $"dilation={dilation}" : null,
            spec.Groups == Defaults.Groups && !arguments.IsSymbolic(nameof(Attr.Groups)) ? null : $"groups={context.Int(nameof(Attr.Groups), spec.Groups)}",
            spec.Bias ? null : "bias=False");
    }

    /// <summary>PyTorch's transposed size: <c>(in - 1)*stride - 2*padding + dilation*(kernel - 1) + outputPadding + 1</c>.</summary>
    private static long TransposedSize(long input, int kernel, int stride, int padding, int outputPadding, int dilation) =>
        checked(((input - 1) * stride) - (2L * padding) + ((long)dilation * (kernel - 1)) + outputPadding + 1);
}
