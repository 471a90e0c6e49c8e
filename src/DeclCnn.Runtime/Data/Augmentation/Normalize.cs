using System;
using System.Linq;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data.Augmentation;

/// <summary>
/// Per-channel normalization, <c>(x - Mean[c]) / Std[c]</c>, with <paramref name="statistics"/> on the scale of
/// its input ([0, 1] in a <see cref="BatchLoader"/>). Deterministic: the only transform evaluation batches get.
/// </summary>
/// <param name="statistics">The per-channel mean and std, e.g. <see cref="DatasetInfo.GetChannelStatistics"/>.</param>
public sealed class Normalize(ChannelStatistics statistics) : BatchTransform
{
    /// <summary>The statistics normalized with.</summary>
    public ChannelStatistics Statistics { get; } = statistics ?? throw new ArgumentNullException(nameof(statistics));

    /// <summary>Normalizes <paramref name="images"/>, whose channel count must match the statistics.</summary>
    /// <exception cref="ArgumentException">The batch is not float32 (B, C, H, W) with the statistics' channel count.</exception>
    public Tensor Apply(Tensor images)
    {
        RequireBatch(images);
        if (images.shape[1] != Statistics.Channels)
        {
            throw new ArgumentException($"The batch has {images.shape[1]} channels but the statistics have {Statistics.Channels}.", nameof(images));
        }

        using Tensor mean = tensor(Statistics.Mean.ToArray(), [1, Statistics.Channels, 1, 1], device: images.device);
        using Tensor scale = tensor(Statistics.Std.Select(s => 1f / s).ToArray(), [1, Statistics.Channels, 1, 1], device: images.device);
        return images.sub(mean).mul_(scale);
    }

    /// <inheritdoc/>
    public override Tensor ApplyToBytes(Tensor images, AugmentationRandom random) => ApplyChainToBytes([this], images, random);

    /// <inheritdoc/>
    public override Tensor Apply(Tensor images, AugmentationRandom random) => Apply(images);
}
