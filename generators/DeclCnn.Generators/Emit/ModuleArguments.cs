using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Emit;

/// <summary>
/// How a layer's integer arguments are written: as numbers, or, for a block's arguments written
/// with block parameters, as the C# expression over the block constructor's parameters.
/// </summary>
internal sealed class ModuleArguments
{
    private readonly EquatableArray<SymbolicArgument> symbolic;

    public ModuleArguments(EquatableArray<SymbolicArgument> symbolic) => this.symbolic = symbolic;

    public static ModuleArguments Constant { get; } = new(EquatableArray<SymbolicArgument>.Empty);

    public bool IsSymbolic(string property) => Expression(property) is not null;

    public bool IsDefault(string property, Model.Pair value, int defaultValue) => !IsSymbolic(property) && value == Model.Pair.Square(defaultValue);

    public string Int(string property, long value) => Expression(property)?.ToCSharp() ?? ModuleFactory.Number(value);

    /// <summary>The argument as an expression: the written one, or the constant.</summary>
    public IntExpression Value(string property, long value) => Expression(property) ?? new ConstantExpression(value);

    /// <summary>A size as one value, or as a (height, width) tuple when the call needs tuples.</summary>
    public string Pair(string heightProperty, string widthProperty, Model.Pair value, bool forceTuple)
    {
        var height = Int(heightProperty, value.Height);
        var width = Int(widthProperty, value.Width);
        return !forceTuple && height == width ? height : $"({height}, {width})";
    }

    private IntExpression? Expression(string property)
    {
        foreach (var argument in symbolic)
        {
            if (argument.Property == property)
            {
                return argument.Expression;
            }
        }

        return null;
    }
}
