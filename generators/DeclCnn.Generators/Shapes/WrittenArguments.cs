using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Shapes;

/// <summary>The arguments of a block's layer written with block parameters, as the user wrote them.</summary>
internal sealed class WrittenArguments
{
    private readonly EquatableArray<SymbolicArgument> symbolic;

    public WrittenArguments(EquatableArray<SymbolicArgument> symbolic) => this.symbolic = symbolic;

    public static WrittenArguments None { get; } = new(EquatableArray<SymbolicArgument>.Empty);

    /// <summary>The argument that sets <paramref name="property"/> as written (<c>Block.Channels * 4</c>), or null when it is a constant.</summary>
    public string? this[string property]
    {
        get
        {
            foreach (var argument in symbolic)
            {
                if (argument.Property == property)
                {
                    return Write(argument.Expression);
                }
            }

            return null;
        }
    }

    private static string Write(IntExpression expression) => expression switch
    {
        ConstantExpression constant => LayerDescriber.Number(constant.Value),
        ParameterExpression { Name: ParameterExpression.Channels } => "Block.Channels",
        ParameterExpression { Name: ParameterExpression.Stride } => "Block.Stride",
        BinaryExpression binary => $"{Operand(binary.Left)} {binary.Operator} {Operand(binary.Right)}",
        _ => expression.ToCSharp(),
    };

    private static string Operand(IntExpression operand) => operand is BinaryExpression ? $"({Write(operand)})" : Write(operand);
}
