using System;

namespace DeclCnn;

/// <summary>
/// 2-D max pooling (<c>torch.nn.MaxPool2d</c>). Output size per spatial dimension:
/// <c>floor((in + 2*padding - dilation*(kernel-1) - 1) / stride) + 1</c> (ceil with <see cref="CeilMode"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPoolAttribute : LayerAttribute
{
    /// <summary>Max pooling with a square window.</summary>
    /// <param name="kernelSize">Window height and width.</param>
    public MaxPoolAttribute(int kernelSize)
        : this(kernelSize, kernelSize)
    {
    }

    /// <summary>Max pooling with a rectangular window.</summary>
    /// <param name="kernelHeight">Window height.</param>
    /// <param name="kernelWidth">Window width.</param>
    public MaxPoolAttribute(int kernelHeight, int kernelWidth)
    {
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>Window height.</summary>
    public int KernelHeight { get; }

    /// <summary>Window width.</summary>
    public int KernelWidth { get; }

    /// <summary>Stride: an <c>int</c>, or <c>new[] { height, width }</c>. Default: the kernel size.</summary>
    public object? Stride { get; set; }

    /// <summary>Implicit negative-infinity padding: an <c>int</c>, or <c>new[] { height, width }</c>; at most half the kernel. Default: 0.</summary>
    public object? Padding { get; set; }

    /// <summary>Spacing between window elements: an <c>int</c>, or <c>new[] { height, width }</c>. Default: 1.</summary>
    public object? Dilation { get; set; }

    /// <summary>Use ceil instead of floor for the output size; a window starting in the right padding is dropped. Default: <see langword="false"/>.</summary>
    public bool CeilMode { get; set; }
}

/// <summary>
/// 2-D average pooling (<c>torch.nn.AvgPool2d</c>). Output size per spatial dimension:
/// <c>floor((in + 2*padding - kernel) / stride) + 1</c> (ceil with <see cref="CeilMode"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPoolAttribute : LayerAttribute
{
    /// <summary>Average pooling with a square window.</summary>
    /// <param name="kernelSize">Window height and width.</param>
    public AvgPoolAttribute(int kernelSize)
        : this(kernelSize, kernelSize)
    {
    }

    /// <summary>Average pooling with a rectangular window.</summary>
    /// <param name="kernelHeight">Window height.</param>
    /// <param name="kernelWidth">Window width.</param>
    public AvgPoolAttribute(int kernelHeight, int kernelWidth)
    {
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>Window height.</summary>
    public int KernelHeight { get; }

    /// <summary>Window width.</summary>
    public int KernelWidth { get; }

    /// <summary>Stride: an <c>int</c>, or <c>new[] { height, width }</c>. Default: the kernel size.</summary>
    public object? Stride { get; set; }

    /// <summary>Implicit zero padding: an <c>int</c>, or <c>new[] { height, width }</c>; at most half the kernel. Default: 0.</summary>
    public object? Padding { get; set; }

    /// <summary>Use ceil instead of floor for the output size; a window starting in the right padding is dropped. Default: <see langword="false"/>.</summary>
    public bool CeilMode { get; set; }

    /// <summary>Whether the zero padding counts in the average. Default: <see langword="true"/>.</summary>
    public bool CountIncludePad { get; set; } = true;
}

/// <summary>
/// Adaptive average pooling (<c>torch.nn.AdaptiveAvgPool2d</c>): the output has exactly the requested height and width.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AdaptiveAvgPoolAttribute : LayerAttribute
{
    /// <summary>Pools to a square output.</summary>
    /// <param name="outputSize">Output height and width.</param>
    public AdaptiveAvgPoolAttribute(int outputSize)
        : this(outputSize, outputSize)
    {
    }

    /// <summary>Pools to a rectangular output.</summary>
    /// <param name="outputHeight">Output height.</param>
    /// <param name="outputWidth">Output width.</param>
    public AdaptiveAvgPoolAttribute(int outputHeight, int outputWidth)
    {
        OutputHeight = outputHeight;
        OutputWidth = outputWidth;
    }

    /// <summary>Output height.</summary>
    public int OutputHeight { get; }

    /// <summary>Output width.</summary>
    public int OutputWidth { get; }
}

/// <summary>
/// Global average pooling: averages each channel over the whole feature map, <c>[N, C, H, W] -&gt; [N, C, 1, 1]</c>
/// (<c>torch.nn.AdaptiveAvgPool2d(1)</c>; follow it with <see cref="FlattenAttribute"/> before a dense layer).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAvgPoolAttribute : LayerAttribute
{
}
