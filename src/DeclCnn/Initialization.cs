using System;

namespace DeclCnn;

/// <summary>How the weights of convolutions and dense layers are initialized.</summary>
public enum Init
{
    /// <summary>TorchSharp's default (PyTorch's: Kaiming uniform with a = sqrt(5)), or the class's <see cref="WeightInitAttribute"/>.</summary>
    Default,

    /// <summary>Kaiming (He) normal for ReLU: std = sqrt(2 / fan), fan per <see cref="WeightInitAttribute.Mode"/>.</summary>
    KaimingNormal,

    /// <summary>Kaiming (He) uniform for ReLU: bound = sqrt(6 / fan).</summary>
    KaimingUniform,

    /// <summary>Xavier (Glorot) uniform: bound = sqrt(6 / (fan_in + fan_out)).</summary>
    XavierUniform,

    /// <summary>Xavier (Glorot) normal: std = sqrt(2 / (fan_in + fan_out)).</summary>
    XavierNormal,

    /// <summary>Normal with mean 0 and <see cref="WeightInitAttribute.Std"/>.</summary>
    Normal,

    /// <summary>Every weight equal to <see cref="WeightInitAttribute.Value"/>.</summary>
    Constant,
}

/// <summary>Which fan Kaiming initialization scales by.</summary>
public enum FanMode
{
    /// <summary>Inputs per output: preserves the variance of activations in the forward pass.</summary>
    FanIn,

    /// <summary>Outputs per input: preserves the variance of gradients in the backward pass (torchvision's ResNets).</summary>
    FanOut,
}

/// <summary>
/// Initializes the weights of the class's convolutions (and, with <see cref="Dense"/>, of its dense
/// layers) when the generated constructor runs, with their biases at zero; a layer's own
/// <c>Init</c> overrides the kind. Layers left at <see cref="Init.Default"/> keep TorchSharp's.
/// Batch norms keep weight 1 and bias 0, except that <see cref="ZeroInitLastBatchNorm"/> zeroes
/// the weight of the last batch norm of a residual block's body, so that each block starts as the
/// identity (torchvision's <c>zero_init_residual</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class WeightInitAttribute : Attribute
{
    /// <summary>Initializes the class's convolution weights with <paramref name="convolutions"/>.</summary>
    /// <param name="convolutions">The initialization of every convolution weight (including a residual block's shortcut projection).</param>
    public WeightInitAttribute(Init convolutions) => Convolutions = convolutions;

    /// <summary>The initialization of every convolution weight.</summary>
    public Init Convolutions { get; }

    /// <summary>The initialization of every dense weight. Default: <see cref="Init.Default"/> (TorchSharp's, as in torchvision's ResNets).</summary>
    public Init Dense { get; set; }

    /// <summary>The fan of Kaiming initialization. Default: <see cref="FanMode.FanIn"/>.</summary>
    public FanMode Mode { get; set; } = FanMode.FanIn;

    /// <summary>The standard deviation of <see cref="Init.Normal"/>. Default: 0.01.</summary>
    public double Std { get; set; } = 0.01;

    /// <summary>The value of <see cref="Init.Constant"/>. Default: 0.</summary>
    public double Value { get; set; }

    /// <summary>In a residual block, zero the weight of the body's last batch norm. Default: <see langword="false"/>.</summary>
    public bool ZeroInitLastBatchNorm { get; set; }
}
