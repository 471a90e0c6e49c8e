using System.Collections.Generic;
using System.Globalization;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Shapes;

/// <summary>
/// Writes a layer the way the user declared it, e.g. <c>Conv(64, 3, Stride = 2)</c>, for messages:
/// each kind describes itself (<see cref="Kinds.LayerKind.Describe"/>) with the helpers here.
/// </summary>
internal static class LayerDescriber
{
    public static string Describe(LayerSpec layer) => Describe(layer, EquatableArray<SymbolicArgument>.Empty);

    /// <summary>
    /// A block's layer as declared, with the arguments written in block parameters shown as
    /// written (<c>Conv(Block.Channels * 4, 1)</c>) rather than as their placeholder values.
    /// </summary>
    public static string Describe(LayerSpec layer, EquatableArray<SymbolicArgument> symbolic) =>
        layer.Kind.Describe(layer, symbolic.Count == 0 && layer.Written.Count == 0 ? WrittenArguments.None : new WrittenArguments(symbolic, layer.Written));

    /// <summary>"MaxPool(2) (layer 9)": how messages name the layer at fault.</summary>
    public static string Reference(LayerSpec layer, int index) => $"{Describe(layer)} (layer {index + 1})";

    /// <summary>Where a layer's input comes from: "the input" or "layer 8, Conv(64, 3)".</summary>
    public static string Producer(IReadOnlyList<LayerSpec> layers, int index) =>
        index == 0 ? "the input" : $"layer {index}, {Describe(layers[index - 1])}";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An int argument as written: <c>64 * 7 * 7 (3136)</c> for a constant expression, else its value.</summary>
    public static string AsWritten(LayerSpec layer, string property, long value) =>
        new WrittenArguments(EquatableArray<SymbolicArgument>.Empty, layer.Written)[property] ?? Number(value);

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A height/width argument: one value when both are equal, else "h, w".</summary>
    public static string Size(Pair size, WrittenArguments written, string height, string width)
    {
        var h = written[height] ?? Number(size.Height);
        var w = written[width] ?? Number(size.Width);
        return h == w ? h : $"{h}, {w}";
    }

    /// <summary>The named arguments that are set, as <c>Name = value</c>, comma-separated.</summary>
    public static string Named(params (string Name, string? Value)[] arguments)
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

    /// <summary><c>Name(positional, named)</c>.</summary>
    public static string Call(string name, string positional, string named) =>
        named.Length == 0 ? $"{name}({positional})" : $"{name}({positional}, {named})";

    /// <summary><c>Name</c>, or <c>Name(named)</c> when any argument is set.</summary>
    public static string Call(string name, string named) =>
        named.Length == 0 ? name : $"{name}({named})";
}
