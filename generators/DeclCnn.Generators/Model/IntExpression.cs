using System;
using System.Globalization;

namespace DeclCnn.Generators.Model;

/// <summary>
/// An integer argument of a block's layer written in terms of the block's parameters, such as
/// <c>Block.Channels * 4</c>: evaluated for each use of the block, and written into the block's
/// generated constructor as C#.
/// </summary>
internal abstract record IntExpression
{
    /// <summary>The value for one use; call it only where <see cref="DividesByZero"/> is false.</summary>
    public abstract long Evaluate(BlockBindings bindings);

    /// <summary>Whether a division in the expression has a zero divisor at this use (the generated constructor would throw).</summary>
    public virtual bool DividesByZero(BlockBindings bindings) => false;

    /// <summary>The expression in C#, over the generated constructor's parameters.</summary>
    public abstract string ToCSharp();

    /// <summary>The expression in Python, over the parameters of the block's <c>__init__</c> in the PyTorch source.</summary>
    public abstract string ToPython();

    /// <summary>The expression with each parameter replaced by the given expression (a nested block's parameters by the outer block's).</summary>
    public abstract IntExpression Substitute(IntExpression inChannels, IntExpression channels, IntExpression stride);
}

internal sealed record ConstantExpression(long Value) : IntExpression
{
    public override long Evaluate(BlockBindings bindings) => Value;

    public override string ToCSharp() => Value.ToString(CultureInfo.InvariantCulture);

    public override string ToPython() => ToCSharp();

    public override IntExpression Substitute(IntExpression inChannels, IntExpression channels, IntExpression stride) => this;
}

/// <summary>A block parameter: <c>Block.Channels</c> or <c>Block.Stride</c>, or the channels the block receives.</summary>
internal sealed record ParameterExpression(string Name) : IntExpression
{
    public const string Channels = "channels";
    public const string Stride = "stride";
    public const string InChannels = "inChannels";

    public override long Evaluate(BlockBindings bindings) => Name switch
    {
        Channels => bindings.Channels,
        Stride => bindings.Stride,
        _ => bindings.InChannels,
    };

    public override string ToCSharp() => Name;

    /// <summary>Python's names follow PEP 8: <c>in_channels</c>.</summary>
    public override string ToPython() => Name == InChannels ? "in_channels" : Name;

    public override IntExpression Substitute(IntExpression inChannels, IntExpression channels, IntExpression stride) => Name switch
    {
        Channels => channels,
        Stride => stride,
        _ => inChannels,
    };
}

internal sealed record BinaryExpression(char Operator, IntExpression Left, IntExpression Right) : IntExpression
{
    public override long Evaluate(BlockBindings bindings)
    {
        var left = Left.Evaluate(bindings);
        var right = Right.Evaluate(bindings);
        return Operator switch
        {
            '+' => checked(left + right),
            '-' => checked(left - right),
            '*' => checked(left * right),
            _ => left / right,
        };
    }

    public override bool DividesByZero(BlockBindings bindings) =>
        Left.DividesByZero(bindings) || Right.DividesByZero(bindings) || (Operator == '/' && Right.Evaluate(bindings) == 0);

    public override string ToCSharp() => $"{Operand(Left, static e => e.ToCSharp())} {Operator} {Operand(Right, static e => e.ToCSharp())}";

    /// <summary>C#'s integer division is Python's <c>//</c> for the non-negative sizes a valid block computes.</summary>
    public override string ToPython() => $"{Operand(Left, static e => e.ToPython())} {(Operator == '/' ? "//" : Operator.ToString())} {Operand(Right, static e => e.ToPython())}";

    public override IntExpression Substitute(IntExpression inChannels, IntExpression channels, IntExpression stride) =>
        new BinaryExpression(Operator, Left.Substitute(inChannels, channels, stride), Right.Substitute(inChannels, channels, stride));

    private static string Operand(IntExpression operand, Func<IntExpression, string> write) => operand is BinaryExpression ? $"({write(operand)})" : write(operand);
}

/// <summary>The values a block is used with at one place.</summary>
internal readonly record struct BlockBindings(long InChannels, long Channels, long Stride);

/// <summary>An argument of a block's layer that depends on the block's parameters.</summary>
internal sealed record SymbolicArgument(string Property, IntExpression Expression);
