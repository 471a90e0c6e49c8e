using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Shapes;

/// <summary>
/// The arguments of a layer as the user wrote them: a block's layer's arguments written with block
/// parameters, and constant expressions with their values (<c>64 * 7 * 7 (3136)</c>).
/// </summary>
internal sealed class WrittenArguments
{
    private readonly EquatableArray<SymbolicArgument> symbolic;
    private readonly EquatableArray<WrittenConstant> constants;

    public WrittenArguments(EquatableArray<SymbolicArgument> symbolic, EquatableArray<WrittenConstant> constants = default)
    {
        this.symbolic = symbolic;
        this.constants = constants;
    }

    public static WrittenArguments None { get; } = new(EquatableArray<SymbolicArgument>.Empty);

    /// <summary>The argument that sets <paramref name="property"/> as written (<c>Block.Channels * 4</c>), or null when it is a literal.</summary>
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

            foreach (var constant in constants)
            {
                if (constant.Property == property)
                {
                    return constant.Text;
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
