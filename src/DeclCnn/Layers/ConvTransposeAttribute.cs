using System;

namespace DeclCnn;

/// <summary>
/// A 2-D transposed convolution (<c>torch.nn.ConvTranspose2d</c>), the learned upsampling. The
/// input channel count is inferred. Output size per spatial dimension:
/// <c>(in - 1)*stride - 2*padding + dilation*(kernel-1) + outputPadding + 1</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConvTransposeAttribute : LayerAttribute
{
    /// <summary>A transposed convolution with a square kernel.</summary>
    /// <param name="outChannels">Number of output channels.</param>
    /// <param name="kernelSize">Kernel height and width.</param>
    public ConvTransposeAttribute(int outChannels, int kernelSize)
        : this(outChannels, kernelSize, kernelSize)
    {
    }

    /// <summary>A transposed convolution with a rectangular kernel.</summary>
    /// <param name="outChannels">Number of output channels.</param>
    /// <param name="kernelHeight">Kernel height.</param>
    /// <param name="kernelWidth">Kernel width.</param>
    public ConvTransposeAttribute(int outChannels, int kernelHeight, int kernelWidth)
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
    /// Removes <c>padding</c> rows and columns from each side of the output (the padding of the
    /// convolution this one transposes): an <c>int</c>, or <c>new[] { height, width }</c>. Default: 0.
    /// </summary>
    public object? Padding { get; set; }

    /// <summary>
    /// Extra rows and columns added to the bottom and right of the output, to pick one of the output
    /// sizes a strided convolution maps to the same input size; less than the stride or the dilation
    /// in each dimension. One value for both dimensions: TorchSharp 0.107 applies the first value of
    /// a pair to both. Default: 0.
    /// </summary>
    public int OutputPadding { get; set; }

    /// <summary>Spacing between kernel elements: an <c>int</c>, or <c>new[] { height, width }</c>. Default: 1.</summary>
    public object? Dilation { get; set; }

    /// <summary>Number of blocked connections from input to output channels; must divide both. Default: 1.</summary>
    public int Groups { get; set; } = 1;

    /// <summary>Whether the layer adds a learnable bias. Default: <see langword="true"/>.</summary>
    public bool Bias { get; set; } = true;

    /// <summary>This layer's weight initialization, overriding the class's <see cref="WeightInitAttribute"/> for convolutions. Default: <see cref="DeclCnn.Init.Default"/>.</summary>
    public Init Init { get; set; }
}
