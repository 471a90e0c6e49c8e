using System.Collections.Generic;
using System.Globalization;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Shapes;

namespace DeclCnn.Generators.Emit;

/// <summary>
/// What a kind needs to write a layer's module in the PyTorch source: the layer's factory context, with every integer
/// written in Python (numbers in a model; in a block, expressions over the block's <c>__init__</c> parameters
/// <c>in_channels</c>, <c>channels</c> and <c>stride</c>).
/// </summary>
internal sealed class PyTorchContext
{
    public PyTorchContext(ModuleContext module) => Module = module;

    /// <summary>The layer's factory context: its arguments, and in a model a stage's traced block inputs.</summary>
    public ModuleContext Module { get; }

    public ModuleArguments Arguments => Module.Arguments;

    /// <summary>The channels or features the layer receives, in Python.</summary>
    public string InChannels => Module.InChannels.ToPython();

    /// <summary>An integer argument in Python: the written expression, or the number.</summary>
    public string Int(string property, long value) => Arguments.Value(property, value).ToPython();

    /// <summary>A size as one value, or as a <c>(height, width)</c> tuple when the two differ.</summary>
    public string Pair(string heightProperty, string widthProperty, Model.Pair value)
    {
        var height = Int(heightProperty, value.Height);
        var width = Int(widthProperty, value.Width);
        return height == width ? height : $"({height}, {width})";
    }

    /// <summary><c>nn.Factory(arguments)</c>, leaving out the null ones.</summary>
    public static string Call(string factory, params string?[] arguments)
    {
        var present = new List<string>();
        foreach (var argument in arguments)
        {
            if (argument is not null)
            {
                present.Add(argument);
            }
        }

        return $"nn.{factory}({string.Join(", ", present)})";
    }

    /// <summary>A float literal: always with a decimal point or exponent, as PyTorch's docs write them.</summary>
    public static string Number(double value) => ModuleFactory.Number(value);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A Python string literal (single quotes, so the source needs no escaping inside a C# string).</summary>
    public static string Quote(string text) => $"'{text}'";

    /// <summary>The Python class of a block, by the block's metadata name: its simple name, as its own source defines it.</summary>
    public static string BlockClass(string blockMetadataName) => PyTorchNames.Class(BlockScope.SimpleName(blockMetadataName));
}
