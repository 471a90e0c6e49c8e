using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data;

/// <summary>How a <see cref="BatchIterator"/> cuts a dataset into batches.</summary>
public sealed record BatchOptions
{
    /// <summary>Images per batch (the last batch may be smaller unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Whether each epoch visits the images in a new order derived from <see cref="Seed"/> and the epoch number.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Whether to drop a last batch smaller than <see cref="BatchSize"/>.</summary>
    public bool DropLast { get; init; }

    /// <summary>Seed of the per-epoch shuffle; the same seed and epoch always give the same order.</summary>
    public ulong Seed { get; init; }

    /// <summary>The statistics to normalize with; null uses the dataset's own (<see cref="DatasetInfo.Normalization"/>).</summary>
    public Normalization? Normalization { get; init; }

    /// <summary>The device the batches are produced on; null means the CPU.</summary>
    public Device? Device { get; init; }
}
