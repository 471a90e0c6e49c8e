using System.Collections.Generic;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Shapes;

namespace DeclCnn.Generators.Emit;

/// <summary>
/// What a kind needs to write a layer's part of the ONNX export: the layer's name, its arguments (numbers in a model,
/// expressions over the block's parameters in a block), and the shape it receives where the compiler knows it. The
/// export method holds the builder in <see cref="Builder"/> and the running value in <see cref="Value"/>.
/// </summary>
internal sealed class OnnxContext
{
    /// <summary>The builder variable of the generated export method.</summary>
    public const string Builder = "onnx";

    /// <summary>The variable that holds the current layer's input, and then its output.</summary>
    public const string Value = "x";

    public OnnxContext(string name, ModuleContext module, Shape? input)
    {
        Name = name;
        Module = module;
        Input = input;
    }

    /// <summary>The layer's name, as it is registered (its weights are <c>name.weight</c>).</summary>
    public string Name { get; }

    /// <summary>The layer's factory context: its arguments, and in a model a stage's traced block inputs.</summary>
    public ModuleContext Module { get; }

    public ModuleArguments Arguments => Module.Arguments;

    /// <summary>The shape the layer receives, traced in a model; null in a block, where sizes depend on the use.</summary>
    public Shape? Input { get; }

    /// <summary>The input's rank with the batch dimension: a block always receives a feature map.</summary>
    public int Rank => Input?.BatchedRank ?? 4;

    /// <summary><c>x = onnx.Method(x, "name", arguments);</c>, leaving out the null arguments.</summary>
    public string Call(string method, params string?[] arguments)
    {
        var present = new List<string> { Value, ModuleFactory.Quote(Name) };
        foreach (var argument in arguments)
        {
            if (argument is not null)
            {
                present.Add(argument);
            }
        }

        return $"{Value} = {Builder}.{method}({string.Join(", ", present)});";
    }

    /// <summary>A per-dimension size as the builder takes it, <c>new long[] { height, width }</c>.</summary>
    public string Sizes(string heightProperty, string widthProperty, Pair value) =>
        LongArray(Arguments.Int(heightProperty, value.Height), Arguments.Int(widthProperty, value.Width));

    /// <summary>Symmetric padding in ONNX's order, <c>new long[] { top, left, bottom, right }</c>.</summary>
    public string SymmetricPads(string property, Pair value)
    {
        var height = Arguments.Int(property, value.Height);
        var width = Arguments.Int(property, value.Width);
        return LongArray(height, width, height, width);
    }

    public static string LongArray(params string[] values) => $"new long[] {{ {string.Join(", ", values)} }}";
}
