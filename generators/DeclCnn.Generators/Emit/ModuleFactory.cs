using System.Collections.Generic;
using System.Globalization;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Emit;

/// <summary>
/// Writes the TorchSharp type and factory call for each layer, passing only the arguments that
/// differ from PyTorch's defaults, so the constructor reads like hand-written code. In a block,
/// arguments written with block parameters become C# expressions over the constructor's
/// parameters (<see cref="LayerArguments.Symbolic"/>).
/// </summary>
internal static class ModuleFactory
{
    private const string Nn = "global::TorchSharp.torch.nn";
    private static readonly char[] DecimalMarkers = { '.', 'E' };

    public static string TypeName(string moduleType) => $"global::TorchSharp.Modules.{moduleType}";

    /// <summary>The factory call for a layer that receives <paramref name="inChannels"/> channels or features (a C# expression).</summary>
    public static string Create(LayerSpec spec, string moduleType, string inChannels, LayerArguments arguments) => spec switch
    {
        ConvSpec conv => Conv(conv, inChannels, arguments),
        PoolSpec pool => Pool(pool, moduleType, arguments),
        AdaptiveAvgPoolSpec adaptive => Call("AdaptiveAvgPool2d", arguments.Pair("OutputHeight", "OutputWidth", adaptive.Output, forceTuple: false)),
        FlattenSpec => Call("Flatten"),
        DenseSpec dense => Call("Linear", inChannels, Number(dense.OutFeatures), dense.Bias ? null : "hasBias: false"),
        BatchNormSpec batchNorm => Call(
            moduleType,
            inChannels,
            batchNorm.Eps == 1e-5 ? null : $"eps: {Number(batchNorm.Eps)}",
            batchNorm.Momentum == 0.1 ? null : $"momentum: {Number(batchNorm.Momentum)}"),
        DropoutSpec dropout => Call("Dropout", Number(dropout.P)),
        ActivationSpec activation => Activation(activation),
        UpsampleSpec upsample => Call(
            "Upsample",
            $"scale_factor: new[] {{ {Number(upsample.ScaleFactor)}, {Number(upsample.ScaleFactor)} }}",
            upsample.Mode == "bilinear" ? "mode: global::TorchSharp.torch.UpsampleMode.Bilinear" : "mode: global::TorchSharp.torch.UpsampleMode.Nearest",
            // PyTorch's default for bilinear, stated so that libtorch does not warn about it.
            upsample.Mode == "bilinear" ? "align_corners: false" : null),
        LocalResponseNormSpec lrn => Call(
            "LocalResponseNorm",
            arguments.Int("Size", lrn.Size),
            lrn.Alpha == 1e-4 ? null : $"alpha: {Number(lrn.Alpha)}",
            lrn.Beta == 0.75 ? null : $"beta: {Number(lrn.Beta)}",
            lrn.K == 1.0 ? null : $"k: {Number(lrn.K)}"),
        _ => throw new System.InvalidOperationException($"No factory for {spec.GetType().Name}."),
    };

    /// <summary>The shortcut projection of a residual block: a 1x1 convolution with the block's stride, and batch normalization.</summary>
    public static string Projection(string inChannels, string outChannels, string stride) =>
        $"{Nn}.Sequential(({Quote("0")}, {Nn}.Conv2d({inChannels}, {outChannels}, kernel_size: 1, stride: {stride}, bias: false)), ({Quote("1")}, {Nn}.BatchNorm2d({outChannels})))";

    public static string Quote(string text) => $"\"{text}\"";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Conv(ConvSpec conv, string inChannels, LayerArguments arguments)
    {
        // TorchSharp's overloads take either all-scalar or all-tuple sizes.
        var tuples = !(conv.Kernel.IsSquare && conv.Stride.IsSquare && conv.Dilation.IsSquare && conv.Padding.Amount.IsSquare);
        var padding = conv.Padding.Mode switch
        {
            PaddingMode.Same => "padding: global::TorchSharp.Padding.Same",
            _ when conv.Padding.Mode == PaddingMode.Explicit && (conv.Padding.Amount != Pair.Square(0) || arguments.IsSymbolic("Padding")) =>
                $"padding: {arguments.Pair("Padding", "Padding", conv.Padding.Amount, tuples)}",
            _ => null,
        };
        return Call(
            "Conv2d",
            inChannels,
            arguments.Int("OutChannels", conv.OutChannels),
            $"kernel_size: {arguments.Pair("KernelHeight", "KernelWidth", conv.Kernel, tuples)}",
            arguments.IsDefault("Stride", conv.Stride, 1) ? null : $"stride: {arguments.Pair("Stride", "Stride", conv.Stride, tuples)}",
            padding,
            arguments.IsDefault("Dilation", conv.Dilation, 1) ? null : $"dilation: {arguments.Pair("Dilation", "Dilation", conv.Dilation, tuples)}",
            conv.Groups == 1 && !arguments.IsSymbolic("Groups") ? null : $"groups: {arguments.Int("Groups", conv.Groups)}",
            conv.Bias ? null : "bias: false");
    }

    private static string Pool(PoolSpec pool, string moduleType, LayerArguments arguments)
    {
        var tuples = !(pool.Kernel.IsSquare && pool.Stride.IsSquare && pool.Padding.IsSquare && pool.Dilation.IsSquare);
        return Call(
            moduleType,
            $"kernel_size: {arguments.Pair("KernelHeight", "KernelWidth", pool.Kernel, tuples)}",
            pool.StrideIsDefault && !arguments.IsSymbolic("Stride") ? null : $"stride: {arguments.Pair("Stride", "Stride", pool.Stride, tuples)}",
            arguments.IsDefault("Padding", pool.Padding, 0) ? null : $"padding: {arguments.Pair("Padding", "Padding", pool.Padding, tuples)}",
            arguments.IsDefault("Dilation", pool.Dilation, 1) ? null : $"dilation: {arguments.Pair("Dilation", "Dilation", pool.Dilation, tuples)}",
            pool.CeilMode ? "ceil_mode: true" : null,
            pool.CountIncludePad ? null : "count_include_pad: false");
    }

    private static string Activation(ActivationSpec activation) => activation.Kind switch
    {
        ActivationKind.LeakyReLU => Call("LeakyReLU", activation.NegativeSlope == 0.01 ? null : Number(activation.NegativeSlope)),
        ActivationKind.Softmax or ActivationKind.LogSoftmax => Call(activation.Kind.ToString(), $"dim: {Number(activation.Dim)}"),
        _ => Call(activation.Kind.ToString()),
    };

    private static string Call(string factory, params string?[] arguments)
    {
        var present = new List<string>();
        foreach (var argument in arguments)
        {
            if (argument is not null)
            {
                present.Add(argument);
            }
        }

        return $"{Nn}.{factory}({string.Join(", ", present)})";
    }

    private static string Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(DecimalMarkers) < 0 ? text + ".0" : text;
    }
}

/// <summary>
/// How a layer's integer arguments are written: as numbers, or, for a block's arguments written
/// with block parameters, as the C# expression over the block constructor's parameters.
/// </summary>
internal sealed class LayerArguments
{
    private readonly EquatableArray<SymbolicArgument> symbolic;

    public LayerArguments(EquatableArray<SymbolicArgument> symbolic) => this.symbolic = symbolic;

    public static LayerArguments Constant { get; } = new(EquatableArray<SymbolicArgument>.Empty);

    public bool IsSymbolic(string property) => Expression(property) is not null;

    public bool IsDefault(string property, Model.Pair value, int defaultValue) => !IsSymbolic(property) && value == Model.Pair.Square(defaultValue);

    public string Int(string property, long value) => Expression(property) ?? ModuleFactory.Number(value);

    /// <summary>A size as one value, or as a (height, width) tuple when the call needs tuples.</summary>
    public string Pair(string heightProperty, string widthProperty, Model.Pair value, bool forceTuple)
    {
        var height = Int(heightProperty, value.Height);
        var width = Int(widthProperty, value.Width);
        return !forceTuple && height == width ? height : $"({height}, {width})";
    }

    private string? Expression(string property)
    {
        foreach (var argument in symbolic)
        {
            if (argument.Property == property)
            {
                return argument.Expression.ToCSharp();
            }
        }

        return null;
    }
}
