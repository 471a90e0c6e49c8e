using System;
using System.Collections.Generic;
using System.Linq;
using DeclCnn.Runtime.Data;

namespace DeclCnn.Runtime.Inference;

/// <summary>
/// Everything besides the weights that a trained classifier needs to be used: the shape of one input image, the
/// pixel statistics it was trained with, and its class names, with where it came from.
/// </summary>
public sealed record ModelInfo
{
    /// <summary>Describes a classifier of images of <paramref name="inputShape"/>.</summary>
    /// <param name="inputShape">One input image, channels x height x width, e.g. <c>[1, 28, 28]</c> (a declaration's <c>Summary.InputShape</c>).</param>
    /// <param name="classNames">The name of each output, in output order.</param>
    /// <param name="normalization">The training set's per-channel statistics: the network sees <c>(byte / 255 - mean) / std</c>.</param>
    /// <exception cref="ArgumentException">The shape is not three positive sizes, there is no class name or one is empty, or the statistics have another channel count.</exception>
    public ModelInfo(IReadOnlyList<long> inputShape, IReadOnlyList<string> classNames, ChannelStatistics normalization)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(normalization);
        if (inputShape.Count != 3 || inputShape.Any(static size => size <= 0 || size > int.MaxValue))
        {
            throw new ArgumentException($"The input shape must be channels, height and width, all positive; got [{string.Join(", ", inputShape)}].", nameof(inputShape));
        }

        if (classNames.Count == 0 || classNames.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("A classifier needs at least one class, and every class a non-empty name.", nameof(classNames));
        }

        if (normalization.Channels != inputShape[0])
        {
            throw new ArgumentException(
                $"The statistics have {normalization.Channels} channel(s) but the input has {inputShape[0]}.", nameof(normalization));
        }

        InputShape = inputShape.ToArray();
        ClassNames = classNames.ToArray();
        Normalization = normalization;
    }

    /// <summary>One input image: channels, height, width.</summary>
    public IReadOnlyList<long> InputShape { get; }

    /// <summary>The name of each output, in output order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The per-channel statistics the network's input is normalized with.</summary>
    public ChannelStatistics Normalization { get; }

    /// <summary>Where the weights came from; null when unknown.</summary>
    public ModelProvenance? Provenance { get; init; }

    /// <summary>
    /// The information of a classifier trained on <paramref name="training"/>: its image shape, class names and
    /// per-channel statistics, and its name as the provenance's data set.
    /// </summary>
    /// <param name="training">The training set's information (its statistics are the ones the network was trained with).</param>
    public static ModelInfo For(DatasetInfo training)
    {
        ArgumentNullException.ThrowIfNull(training);
        return new ModelInfo([training.Channels, training.Height, training.Width], training.ClassNames, training.GetChannelStatistics())
        {
            Provenance = new ModelProvenance { Dataset = training.Name },
        };
    }
}
