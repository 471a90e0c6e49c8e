using System.Collections.Generic;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// Anything that yields an epoch of (images, labels) batches on the training device: the trainer
/// consumes this, and loaders with augmentation or prefetching implement it.
/// </summary>
public interface IBatchSource
{
    /// <summary>The number of batches per epoch.</summary>
    long BatchCount { get; }

    /// <summary>The device the batches are produced on; a trainer trains on its training source's device.</summary>
    Device Device { get; }

    /// <summary>The batches of epoch <paramref name="epoch"/>; each stays valid until the enumeration moves on.</summary>
    /// <param name="epoch">The epoch number, which seeds the shuffle of that epoch.</param>
    /// <returns>The batches, in order.</returns>
    IEnumerable<Batch> Epoch(int epoch);
}
