using System.Collections.Generic;
using System.Globalization;
using DeclCnn.Generators.Analysis;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Emit;

/// <summary>
/// Writes the TorchSharp type and factory call for each layer, passing only the arguments that
/// differ from PyTorch's defaults, so the constructor reads like hand-written code.
/// </summary>
internal static class ModuleFactory
{
    private const string Nn = "global::TorchSharp.torch.nn";
    private static readonly char[] DecimalMarkers = { '.', 'E' };

    public static string TypeName(AnalyzedLayer layer) => $"global::TorchSharp.Modules.{layer.Trace.ModuleType}";

    public static string Create(AnalyzedLayer layer)
    {
        var input = layer.Trace.Input;
        return layer.Spec switch
        {
            ConvSpec conv => Conv(conv, input.Channels),
            PoolSpec pool => Pool(pool, layer.Trace.ModuleType),
            AdaptiveAvgPoolSpec adaptive => Call("AdaptiveAvgPool2d", Size(adaptive.Output)),
            FlattenSpec => Call("Flatten"),
            DenseSpec dense => Call("Linear", Number(input.Channels), Number(dense.OutFeatures), dense.Bias ? null : "hasBias: false"),
            BatchNormSpec batchNorm => Call(
                layer.Trace.ModuleType,
                Number(input.Channels),
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
                Number(lrn.Size),
                lrn.Alpha == 1e-4 ? null : $"alpha: {Number(lrn.Alpha)}",
                lrn.Beta == 0.75 ? null : $"beta: {Number(lrn.Beta)}",
                lrn.K == 1.0 ? null : $"k: {Number(lrn.K)}"),
            _ => throw new System.InvalidOperationException($"No factory for {layer.Spec.GetType().Name}."),
        };
    }

    private static string Conv(ConvSpec conv, long inChannels)
    {
        // TorchSharp's overloads take either all-scalar or all-tuple sizes.
        var square = conv.Kernel.IsSquare && conv.Stride.IsSquare && conv.Dilation.IsSquare && conv.Padding.Amount.IsSquare;
        string Value(Pair pair) => square ? Number(pair.Height) : $"({Number(pair.Height)}, {Number(pair.Width)})";

        var padding = conv.Padding.Mode switch
        {
            PaddingMode.Same => "padding: global::TorchSharp.Padding.Same",
            _ when conv.Padding.Mode == PaddingMode.Explicit && conv.Padding.Amount != Pair.Square(0) => $"padding: {Value(conv.Padding.Amount)}",
            _ => null,
        };
        return Call(
            "Conv2d",
            Number(inChannels),
            Number(conv.OutChannels),
            $"kernel_size: {Value(conv.Kernel)}",
            conv.Stride == Pair.Square(1) ? null : $"stride: {Value(conv.Stride)}",
            padding,
            conv.Dilation == Pair.Square(1) ? null : $"dilation: {Value(conv.Dilation)}",
            conv.Groups == 1 ? null : $"groups: {Number(conv.Groups)}",
            conv.Bias ? null : "bias: false");
    }

    private static string Pool(PoolSpec pool, string moduleType)
    {
        var square = pool.Kernel.IsSquare && pool.Stride.IsSquare && pool.Padding.IsSquare && pool.Dilation.IsSquare;
        string Value(Pair pair) => square ? Number(pair.Height) : $"({Number(pair.Height)}, {Number(pair.Width)})";

        return Call(
            moduleType,
            $"kernel_size: {Value(pool.Kernel)}",
            pool.StrideIsDefault ? null : $"stride: {Value(pool.Stride)}",
            pool.Padding == Pair.Square(0) ? null : $"padding: {Value(pool.Padding)}",
            pool.Dilation == Pair.Square(1) ? null : $"dilation: {Value(pool.Dilation)}",
            pool.CeilMode ? "ceil_mode: true" : null,
            pool.CountIncludePad ? null : "count_include_pad: false");
    }

    private static string Activation(ActivationSpec activation) => activation.Kind switch
    {
        ActivationKind.LeakyReLU => Call("LeakyReLU", activation.NegativeSlope == 0.01 ? null : Number(activation.NegativeSlope)),
        ActivationKind.Softmax or ActivationKind.LogSoftmax => Call(activation.Kind.ToString(), $"dim: {Number(activation.Dim)}"),
        _ => Call(activation.Kind.ToString()),
    };

    private static string Size(Pair pair) => pair.IsSquare ? Number(pair.Height) : $"({Number(pair.Height)}, {Number(pair.Width)})";

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

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(DecimalMarkers) < 0 ? text + ".0" : text;
    }
}
