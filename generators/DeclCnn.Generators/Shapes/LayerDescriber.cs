using System.Collections.Generic;
using System.Globalization;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Shapes;

/// <summary>Writes a layer the way the user declared it, e.g. <c>Conv(64, 3, Stride = 2)</c>, for messages.</summary>
internal static class LayerDescriber
{
    public static string Describe(LayerSpec layer) => layer switch
    {
        ConvSpec conv => Call("Conv", Args(conv.OutChannels, conv.Kernel), Named(
            ("Stride", conv.Stride == Pair.Square(1) ? null : conv.Stride.ToString()),
            ("Padding", DescribePadding(conv.Padding)),
            ("Dilation", conv.Dilation == Pair.Square(1) ? null : conv.Dilation.ToString()),
            ("Groups", conv.Groups == 1 ? null : Number(conv.Groups)))),
        PoolSpec pool => Call(pool.Kind == PoolKind.Max ? "MaxPool" : "AvgPool", Args(null, pool.Kernel), Named(
            ("Stride", pool.StrideIsDefault ? null : pool.Stride.ToString()),
            ("Padding", pool.Padding == Pair.Square(0) ? null : pool.Padding.ToString()),
            ("Dilation", pool.Dilation == Pair.Square(1) ? null : pool.Dilation.ToString()),
            ("CeilMode", pool.CeilMode ? "true" : null))),
        AdaptiveAvgPoolSpec { IsGlobal: true } => "GlobalAvgPool",
        AdaptiveAvgPoolSpec adaptive => Call("AdaptiveAvgPool", Args(null, adaptive.Output), Named()),
        FlattenSpec => "Flatten",
        DenseSpec dense => Call("Dense", Number(dense.OutFeatures), Named(("InFeatures", dense.InFeatures == 0 ? null : Number(dense.InFeatures)))),
        BatchNormSpec => "BatchNorm",
        DropoutSpec dropout => Call("Dropout", Number(dropout.P), Named()),
        ActivationSpec activation => activation.Kind.ToString(),
        UpsampleSpec upsample => Call("Upsample", Number(upsample.ScaleFactor), Named(("Mode", upsample.Mode == "nearest" ? null : $"\"{upsample.Mode}\""))),
        LocalResponseNormSpec lrn => Call("LocalResponseNorm", Number(lrn.Size), Named()),
        _ => layer.GetType().Name,
    };

    /// <summary>"MaxPool(2) (layer 9)": how messages name the layer at fault.</summary>
    public static string Reference(LayerSpec layer, int index) => $"{Describe(layer)} (layer {index + 1})";

    /// <summary>Where a layer's input comes from: "the input" or "layer 8, Conv(64, 3)".</summary>
    public static string Producer(IReadOnlyList<LayerSpec> layers, int index) =>
        index == 0 ? "the input" : $"layer {index}, {Describe(layers[index - 1])}";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string? DescribePadding(PaddingSpec padding) => padding.Mode switch
    {
        PaddingMode.Same => "\"same\"",
        PaddingMode.Valid => "\"valid\"",
        _ => padding.Amount == Pair.Square(0) ? null : padding.Amount.ToString(),
    };

    private static string Args(int? first, Pair kernel)
    {
        var size = kernel.IsSquare ? Number(kernel.Height) : $"{Number(kernel.Height)}, {Number(kernel.Width)}";
        return first is null ? size : $"{Number(first.Value)}, {size}";
    }

    private static string Named(params (string Name, string? Value)[] arguments)
    {
        var parts = new List<string>();
        foreach (var (name, value) in arguments)
        {
            if (value is not null)
            {
                parts.Add($"{name} = {value}");
            }
        }

        return string.Join(", ", parts);
    }

    private static string Call(string name, string positional, string named) =>
        named.Length == 0 ? $"{name}({positional})" : $"{name}({positional}, {named})";
}
