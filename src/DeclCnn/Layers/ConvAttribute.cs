using System;

namespace DeclCnn;

/// <summary>
/// A 2-D convolution (<c>torch.nn.Conv2d</c>). The input channel count is inferred.
/// Output size per spatial dimension: <c>floor((in + 2*padding - dilation*(kernel-1) - 1) / stride) + 1</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConvAttribute : LayerAttribute
{
    /// <summary>A convolution with a square kernel.</summary>
    /// <param name="outChannels">Number of output channels (filters).</param>
    /// <param name="kernelSize">Kernel height and width.</param>
    public ConvAttribute(int outChannels, int kernelSize)
        : this(outChannels, kernelSize, kernelSize)
    {
    }

    /// <summary>A convolution with a rectangular kernel.</summary>
    /// <param name="outChannels">Number of output channels (filters).</param>
    /// <param name="kernelHeight">Kernel height.</param>
    /// <param name="kernelWidth">Kernel width.</param>
    public ConvAttribute(int outChannels, int kernelHeight, int kernelWidth)
    {
        OutChannels = outChannels;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>Number of output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height.</summary>
    public int KernelHeight { get; }

    /// <summary>Kernel width.</summary>
    public int KernelWidth { get; }

    /// <summary>Stride: an <c>int</c>, or <c>new[] { height, width }</c>. Default: 1.</summary>
    public object? Stride { get; set; }

    /// <summary>
    /// Zero padding: an <c>int</c>, <c>new[] { height, width }</c>, <c>"valid"</c> (no padding) or
    /// <c>"same"</c> (output size equals input size; stride must be 1; an odd total padding puts
    /// the extra row and column at the bottom and right). Default: 0.
    /// </summary>
    public object? Padding { get; set; }

    /// <summary>Spacing between kernel elements: an <c>int</c>, or <c>new[] { height, width }</c>. Default: 1.</summary>
    public object? Dilation { get; set; }

    /// <summary>Number of blocked connections from input to output channels; must divide both. Default: 1.</summary>
    public int Groups { get; set; } = 1;

    /// <summary>Whether the convolution adds a learnable bias. Default: <see langword="true"/>.</summary>
    public bool Bias { get; set; } = true;

    /// <summary>This layer's weight initialization, overriding the class's <see cref="WeightInitAttribute"/>. Default: <see cref="DeclCnn.Init.Default"/>.</summary>
    public Init Init { get; set; }
}
