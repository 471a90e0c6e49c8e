using System;

namespace DeclCnn;

/// <summary>
/// Declares a network: the partial class it marks becomes a TorchSharp
/// <c>Module&lt;Tensor, Tensor&gt;</c> whose input is a batch of <c>[N, channels, height, width]</c> images.
/// The layer attributes on the same class, in source order, are its layers.
/// </summary>
/// <example>
/// <code>
/// [Input(1, 28, 28)]
/// [Conv(32, 3, Padding = "same"), ReLU, MaxPool(2)]
/// [Flatten, Dense(10)]
/// public partial class TinyCnn;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Declares the shape of one input sample.</summary>
    /// <param name="channels">Number of input channels (1 for grayscale, 3 for RGB).</param>
    /// <param name="height">Input height in pixels.</param>
    /// <param name="width">Input width in pixels.</param>
    public InputAttribute(int channels, int height, int width)
    {
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>Number of input channels.</summary>
    public int Channels { get; }

    /// <summary>Input height in pixels.</summary>
    public int Height { get; }

    /// <summary>Input width in pixels.</summary>
    public int Width { get; }
}
