using System;
using System.Collections.Generic;
using System.Linq;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// Per-channel pixel statistics of a dataset, on the [0, 1] scale (stored byte / 255): the values
/// <see cref="Augmentation.Normalize"/> and <see cref="BatchLoader"/> normalize with, <c>(x - Mean[c]) / Std[c]</c>.
/// </summary>
public sealed class ChannelStatistics : IEquatable<ChannelStatistics>
{
    private readonly float[] mean;
    private readonly float[] std;

    /// <summary>Statistics with one mean and one standard deviation per channel.</summary>
    /// <param name="mean">The mean of each channel.</param>
    /// <param name="std">The standard deviation of each channel; each must be positive.</param>
    /// <exception cref="ArgumentException">The lists are empty, differ in length, or a std is not positive (or a value is not finite).</exception>
    public ChannelStatistics(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count == 0 || mean.Count != std.Count)
        {
            throw new ArgumentException($"Need one mean and one std per channel; got {mean.Count} means and {std.Count} stds.", nameof(std));
        }

        if (mean.Any(m => !float.IsFinite(m)) || std.Any(s => !float.IsFinite(s) || s <= 0))
        {
            throw new ArgumentException($"Means must be finite and stds finite and positive; got mean [{Format(mean)}], std [{Format(std)}].", nameof(std));
        }

        this.mean = mean.ToArray();
        this.std = std.ToArray();
    }

    /// <summary>The mean of each channel.</summary>
    public IReadOnlyList<float> Mean => mean;

    /// <summary>The standard deviation of each channel.</summary>
    public IReadOnlyList<float> Std => std;

    /// <summary>The number of channels.</summary>
    public int Channels => mean.Length;

    /// <summary>The same <paramref name="normalization"/> for each of <paramref name="channels"/> channels.</summary>
    /// <exception cref="ArgumentException">The std is not positive.</exception>
    public static ChannelStatistics Uniform(Normalization normalization, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        return new ChannelStatistics(Enumerable.Repeat(normalization.Mean, channels).ToArray(), Enumerable.Repeat(normalization.Std, channels).ToArray());
    }

    /// <inheritdoc/>
    public bool Equals(ChannelStatistics? other) =>
        other is not null && mean.AsSpan().SequenceEqual(other.mean) && std.AsSpan().SequenceEqual(other.std);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ChannelStatistics);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (float value in mean.Concat(std))
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <summary>E.g. <c>mean [0.4914, 0.4822, 0.4465], std [0.2470, 0.2435, 0.2616]</c>.</summary>
    public override string ToString() => $"mean [{Format(mean)}], std [{Format(std)}]";

    private static string Format(IEnumerable<float> values) =>
        string.Join(", ", values.Select(v => v.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)));
}
