using System.Collections.Generic;

namespace DeclCnn.Runtime.Data;

/// <summary>What a dataset's tensors mean: its name, image shape, class names and pixel statistics.</summary>
/// <param name="Name">Display name, e.g. "Fashion-MNIST".</param>
/// <param name="Channels">Channels per image.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="ClassNames">Class names; label <c>i</c> names class <c>ClassNames[i]</c>.</param>
/// <param name="Normalization">The statistics batches are normalized with.</param>
public sealed record DatasetInfo(
    string Name,
    int Channels,
    int Height,
    int Width,
    IReadOnlyList<string> ClassNames,
    Normalization Normalization);
