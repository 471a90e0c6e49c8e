using System;

namespace DeclCnn;

/// <summary>
/// Declares a reusable block: the partial class it marks becomes a TorchSharp module whose layers
/// are the layer attributes on the class, sized by the block's parameters
/// (<see cref="Block.Channels"/>, <see cref="Block.Stride"/>) and by the channels it receives.
/// Models use blocks through <see cref="StageAttribute{TBlock}"/>. A block with <see cref="AddAttribute"/>
/// is residual, one with <see cref="ConcatAttribute"/> concatenates its input with its body.
/// </summary>
/// <example>
/// <code>
/// [Block]
/// [Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1, Bias = false), BatchNorm, ReLU]
/// [Conv(Block.Channels, 3, Padding = 1, Bias = false), BatchNorm]
/// [Add, ReLU]
/// public partial class BasicBlock;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class BlockAttribute : Attribute
{
}

/// <summary>
/// The parameters of a <see cref="BlockAttribute"/> block, for use in its layer attributes:
/// <c>Conv(Block.Channels * 4, 1)</c>, <c>Stride = Block.Stride</c>. The generator reads these
/// expressions from the source and evaluates them for each use of the block; the constant values
/// are placeholders and mean nothing outside a block. They are small, so that the compiler, which
/// folds every attribute argument into a constant, can fold products such as
/// <c>Block.Channels * Block.Stride * 4</c> without overflowing (CS0220).
/// </summary>
public static class Block
{
    /// <summary>The channel count the block is used with (<see cref="StageAttribute{TBlock}"/>'s <c>channels</c>).</summary>
    public const int Channels = -101;

    /// <summary>The block's stride: the stage's <c>Stride</c> for its first block, 1 for the others.</summary>
    public const int Stride = -103;
}
