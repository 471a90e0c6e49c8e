using System;

namespace DeclCnn;

/// <summary>
/// Group normalization (<c>torch.nn.GroupNorm</c>): normalizes each sample over groups of channels,
/// independently of the batch size. The channel count is inferred and must be a multiple of the
/// group count. The shape is unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GroupNormAttribute : LayerAttribute
{
    /// <summary>Group normalization over <paramref name="groups"/> groups of channels.</summary>
    /// <param name="groups">Number of channel groups; must divide the channel count.</param>
    public GroupNormAttribute(int groups) => Groups = groups;

    /// <summary>Number of channel groups.</summary>
    public int Groups { get; }

    /// <summary>Added to the variance for numerical stability. Default: 1e-5.</summary>
    public double Eps { get; set; } = 1e-5;

    /// <summary>Whether the layer learns a per-channel scale and shift (2*C parameters). Default: <see langword="true"/>.</summary>
    public bool Affine { get; set; } = true;
}
