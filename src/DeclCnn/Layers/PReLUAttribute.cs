using System;

namespace DeclCnn;

/// <summary>
/// Parametric ReLU, <c>max(0, x) + a * min(0, x)</c> with a learned slope <c>a</c> (<c>torch.nn.PReLU</c>):
/// one slope for the whole layer, or one per channel. The shape is unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PReLUAttribute : LayerAttribute
{
    /// <summary>
    /// Learn one slope per channel (PyTorch's <c>num_parameters = C</c>, the channel count inferred;
    /// for a flat input, one per feature) instead of one for the layer. Default: <see langword="false"/>.
    /// </summary>
    public bool PerChannel { get; set; }

    /// <summary>The slopes' initial value (PyTorch's <c>init</c>). Default: 0.25.</summary>
    public double InitialSlope { get; set; } = 0.25;
}
