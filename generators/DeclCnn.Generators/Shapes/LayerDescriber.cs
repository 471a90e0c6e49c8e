using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Shapes;

/// <summary>Writes a layer the way the user declared it, e.g. <c>Conv(64, 3, Stride = 2)</c>, for messages.</summary>
internal static class LayerDescriber
{
    /// <summary>What separates a type's name from its namespace in <c>global::App.Block</c>.</summary>
    private static readonly char[] NameSeparators = { '.', ':' };

    public static string Describe(LayerSpec layer) => Describe(layer, EquatableArray<SymbolicArgument>.Empty);

    /// <summary>
    /// A block's layer as declared, with the arguments written in block parameters shown as
    /// written (<c>Conv(Block.Channels * 4, 1)</c>) rather than as their placeholder values.
    /// </summary>
    public static string Describe(LayerSpec layer, EquatableArray<SymbolicArgument> symbolic)
    {
        string? Written(string property) => symbolic.FirstOrDefault(a => a.Property == property)?.Expression is { } expression ? Write(expression) : null;

        string Size(Pair size, string height, string width)
        {
            var h = Written(height) ?? Number(size.Height);
            var w = Written(width) ?? Number(size.Width);
            return h == w ? h : $"{h}, {w}";
        }

        return layer switch
        {
            ConvSpec conv => Call("Conv", $"{Written("OutChannels") ?? Number(conv.OutChannels)}, {Size(conv.Kernel, "KernelHeight", "KernelWidth")}", Named(
                ("Stride", Written("Stride") ?? (conv.Stride == Pair.Square(1) ? null : conv.Stride.ToString())),
                ("Padding", Written("Padding") ?? DescribePadding(conv.Padding)),
                ("Dilation", Written("Dilation") ?? (conv.Dilation == Pair.Square(1) ? null : conv.Dilation.ToString())),
                ("Groups", Written("Groups") ?? (conv.Groups == 1 ? null : Number(conv.Groups))))),
            PoolSpec pool => Call(pool.Kind == PoolKind.Max ? "MaxPool" : "AvgPool", Size(pool.Kernel, "KernelHeight", "KernelWidth"), Named(
                ("Stride", Written("Stride") ?? (pool.StrideIsDefault ? null : pool.Stride.ToString())),
                ("Padding", Written("Padding") ?? (pool.Padding == Pair.Square(0) ? null : pool.Padding.ToString())),
                ("Dilation", Written("Dilation") ?? (pool.Dilation == Pair.Square(1) ? null : pool.Dilation.ToString())),
                ("CeilMode", pool.CeilMode ? "true" : null))),
            AdaptiveAvgPoolSpec { IsGlobal: true } => "GlobalAvgPool",
            AdaptiveAvgPoolSpec adaptive => Call("AdaptiveAvgPool", Size(adaptive.Output, "OutputHeight", "OutputWidth"), Named()),
            FlattenSpec => "Flatten",
            DenseSpec dense => Call("Dense", Number(dense.OutFeatures), Named(("InFeatures", dense.InFeatures == 0 ? null : Number(dense.InFeatures)))),
            BatchNormSpec => "BatchNorm",
            DropoutSpec dropout => Call("Dropout", Number(dropout.P), Named()),
            ActivationSpec activation => activation.Kind.ToString(),
            UpsampleSpec upsample => Call("Upsample", Number(upsample.ScaleFactor), Named(("Mode", upsample.Mode == "nearest" ? null : $"\"{upsample.Mode}\""))),
            LocalResponseNormSpec lrn => Call("LocalResponseNorm", Written("Size") ?? Number(lrn.Size), Named()),
            StageSpec stage => Call($"Stage<{stage.BlockName}>", Written("Channels") ?? Number(stage.Channels), Named(
                ("Blocks", stage.Blocks == 1 ? null : Number(stage.Blocks)),
                ("Stride", Written("Stride") ?? (stage.Stride == 1 ? null : Number(stage.Stride))))),
            JoinSpec { Kind: JoinKind.Concat } => "Concat",
            JoinSpec join => Named(
                ("Shortcut", join.Shortcut == ShortcutMode.Auto ? null : $"Shortcut.{join.Shortcut}"),
                ("Projection", join.ProjectionBlock is { } projection ? $"typeof({projection.Substring(projection.LastIndexOfAny(NameSeparators) + 1)})" : null)) is { Length: > 0 } named
                ? $"Add({named})"
                : "Add",
            _ => layer.GetType().Name,
        };
    }

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

    /// <summary>An argument in block parameters, as the user would write it.</summary>
    private static string Write(IntExpression expression) => expression switch
    {
        ConstantExpression constant => Number(constant.Value),
        ParameterExpression { Name: ParameterExpression.Channels } => "Block.Channels",
        ParameterExpression { Name: ParameterExpression.Stride } => "Block.Stride",
        ParameterExpression parameter => parameter.Name,
        BinaryExpression binary => $"{Operand(binary.Left)} {binary.Operator} {Operand(binary.Right)}",
        _ => expression.ToCSharp(),
    };

    private static string Operand(IntExpression operand) => operand is BinaryExpression ? $"({Write(operand)})" : Write(operand);

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
