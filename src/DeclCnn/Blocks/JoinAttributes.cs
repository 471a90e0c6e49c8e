using System;

namespace DeclCnn;

/// <summary>How a residual block's shortcut carries its input to the addition.</summary>
public enum Shortcut
{
    /// <summary>
    /// The identity when the block keeps the stride at 1 and the channel count; otherwise a 1x1
    /// convolution with the block's stride and no bias, followed by batch normalization (ResNet's
    /// option B, torchvision's <c>downsample</c>).
    /// </summary>
    Auto,

    /// <summary>Always the identity; a block whose body changes the shape is a compile-time error.</summary>
    Identity,

    /// <summary>Always the 1x1 convolution and batch normalization of <see cref="Auto"/>.</summary>
    Projection,
}

/// <summary>
/// In a <see cref="BlockAttribute"/> block, the residual addition <c>y = body(x) + shortcut(x)</c>:
/// the layers before it are the body, the layers after it act on the sum (declare the activation
/// after the addition there, as in <c>[Add, ReLU]</c>). Both branches must have the same shape.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AddAttribute : LayerAttribute
{
    /// <summary>The shortcut branch. Default: <see cref="DeclCnn.Shortcut.Auto"/>. Its module is named <c>downsample</c>, as in torchvision.</summary>
    public Shortcut Shortcut { get; set; } = Shortcut.Auto;

    /// <summary>
    /// A <see cref="BlockAttribute"/> block to use as the shortcut instead of the 1x1 projection, for
    /// example a strided 3x3 convolution with an activation. It is always applied, with the block's
    /// input, <c>Block.Channels</c> = the body's output channels and the block's stride; its output
    /// must have the body's shape. Default: none.
    /// </summary>
    public Type? Projection { get; set; }
}

/// <summary>
/// In a <see cref="BlockAttribute"/> block, the dense connection <c>y = cat(x, body(x))</c> over
/// channels (DenseNet): the layers before it are the body, which must keep the height and width;
/// the output has the input's channels plus the body's.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConcatAttribute : LayerAttribute
{
}
