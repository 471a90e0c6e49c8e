using System.Collections.Generic;

namespace DeclCnn.Runtime.Data;

/// <summary>What a dataset's tensors mean: its name, image shape, class names and pixel statistics.</summary>
/// <param name="Name">Display name, e.g. "Fashion-MNIST".</param>
/// <param name="Channels">Channels per image.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="ClassNames">Class names; label <c>i</c> names class <c>ClassNames[i]</c>.</param>
/// <param name="Normalization">The statistics over all channels together; <see cref="GetChannelStatistics"/> repeats them per channel when <see cref="ChannelStatistics"/> is unknown.</param>
public sealed record DatasetInfo(
    string Name,
    int Channels,
    int Height,
    int Width,
    IReadOnlyList<string> ClassNames,
    Normalization Normalization)
{
    /// <summary>
    /// Per-channel statistics when known (e.g. computed from the training set by <see cref="DatasetStatistics"/>);
    /// null when only <see cref="Normalization"/> is known.
    /// </summary>
    public ChannelStatistics? ChannelStatistics { get; init; }

    /// <summary>
    /// The per-channel statistics <see cref="BatchLoader"/> normalizes with: <see cref="ChannelStatistics"/> when set,
    /// else <see cref="Normalization"/> for every channel.
    /// </summary>
    public ChannelStatistics GetChannelStatistics() => ChannelStatistics ?? ChannelStatistics.Uniform(Normalization, Channels);
}
