using System;

namespace DeclCnn;

/// <summary>
/// Flattens each sample to a vector (<c>torch.nn.Flatten()</c>): <c>[N, C, H, W] -&gt; [N, C*H*W]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : LayerAttribute
{
}

/// <summary>
/// A fully connected layer (<c>torch.nn.Linear</c>) on a flat input. The input size is inferred;
/// applying it to a feature map that was not flattened is a compile-time error.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : LayerAttribute
{
    /// <summary>A dense layer.</summary>
    /// <param name="outFeatures">Number of output features.</param>
    public DenseAttribute(int outFeatures) => OutFeatures = outFeatures;

    /// <summary>Number of output features.</summary>
    public int OutFeatures { get; }

    /// <summary>
    /// Optional, for documentation: the expected input size. When set, it must equal the inferred
    /// one, or compilation fails. Default: 0 (inferred).
    /// </summary>
    public int InFeatures { get; set; }

    /// <summary>Whether the layer adds a learnable bias. Default: <see langword="true"/>.</summary>
    public bool Bias { get; set; } = true;

    /// <summary>This layer's weight initialization, overriding the class's <see cref="WeightInitAttribute"/>. Default: <see cref="DeclCnn.Init.Default"/>.</summary>
    public Init Init { get; set; }
}

/// <summary>
/// Batch normalization over channels (<c>torch.nn.BatchNorm2d</c> after a feature map,
/// <c>torch.nn.BatchNorm1d</c> after a flat layer, chosen from the inferred shape).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormAttribute : LayerAttribute
{
    /// <summary>Added to the variance for numerical stability. Default: 1e-5.</summary>
    public double Eps { get; set; } = 1e-5;

    /// <summary>Weight of the current batch in the running statistics. Default: 0.1.</summary>
    public double Momentum { get; set; } = 0.1;
}

/// <summary>
/// Dropout (<c>torch.nn.Dropout</c>): during training, zeroes each element with probability <c>p</c>
/// and scales the rest by <c>1/(1-p)</c>; the identity in evaluation mode.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : LayerAttribute
{
    /// <summary>Dropout with probability 0.5.</summary>
    public DropoutAttribute()
        : this(0.5)
    {
    }

    /// <summary>Dropout with the given probability.</summary>
    /// <param name="p">Probability of zeroing an element, in [0, 1).</param>
    public DropoutAttribute(double p) => P = p;

    /// <summary>Probability of zeroing an element.</summary>
    public double P { get; }
}

/// <summary>
/// Upsampling by a scale factor (<c>torch.nn.Upsample</c>): each spatial size becomes <c>floor(in * scale)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class UpsampleAttribute : LayerAttribute
{
    /// <summary>Upsampling by the same factor in both dimensions.</summary>
    /// <param name="scaleFactor">Multiplier for height and width.</param>
    public UpsampleAttribute(double scaleFactor) => ScaleFactor = scaleFactor;

    /// <summary>Multiplier for height and width.</summary>
    public double ScaleFactor { get; }

    /// <summary>Interpolation: <c>"nearest"</c> or <c>"bilinear"</c>. Default: <c>"nearest"</c>.</summary>
    public string Mode { get; set; } = "nearest";
}

/// <summary>
/// Local response normalization across channels (<c>torch.nn.LocalResponseNorm</c>), as in AlexNet.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LocalResponseNormAttribute : LayerAttribute
{
    /// <summary>Local response normalization.</summary>
    /// <param name="size">Number of neighbouring channels used for normalization.</param>
    public LocalResponseNormAttribute(int size) => Size = size;

    /// <summary>Number of neighbouring channels used for normalization.</summary>
    public int Size { get; }

    /// <summary>Multiplicative factor. Default: 1e-4.</summary>
    public double Alpha { get; set; } = 1e-4;

    /// <summary>Exponent. Default: 0.75.</summary>
    public double Beta { get; set; } = 0.75;

    /// <summary>Additive factor. Default: 1.</summary>
    public double K { get; set; } = 1.0;
}
