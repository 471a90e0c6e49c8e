using System;

namespace DeclCnn;

/// <summary>
/// Adaptive max pooling (<c>torch.nn.AdaptiveMaxPool2d</c>): the output has exactly the requested height and width.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AdaptiveMaxPoolAttribute : LayerAttribute
{
    /// <summary>Pools to a square output.</summary>
    /// <param name="outputSize">Output height and width.</param>
    public AdaptiveMaxPoolAttribute(int outputSize)
        : this(outputSize, outputSize)
    {
    }

    /// <summary>Pools to a rectangular output.</summary>
    /// <param name="outputHeight">Output height.</param>
    /// <param name="outputWidth">Output width.</param>
    public AdaptiveMaxPoolAttribute(int outputHeight, int outputWidth)
    {
        OutputHeight = outputHeight;
        OutputWidth = outputWidth;
    }

    /// <summary>Output height.</summary>
    public int OutputHeight { get; }

    /// <summary>Output width.</summary>
    public int OutputWidth { get; }
}
