using DeclCnn.Runtime.Data.Augmentation;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data;

/// <summary>How a <see cref="BatchLoader"/> batches, normalizes or augments, and prefetches a dataset.</summary>
public sealed record LoaderOptions
{
    /// <summary>Images per batch (the last batch may be smaller unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Whether each epoch visits the images in a new order derived from <see cref="Seed"/> and the epoch number.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Whether to drop a last batch smaller than <see cref="BatchSize"/>.</summary>
    public bool DropLast { get; init; }

    /// <summary>Seed of the per-epoch shuffle and of the augmentation parameters; the same seed gives identical batches.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// The device batches are produced on, augmentation included, and the one a trainer trains on; null means the CPU.
    /// <see cref="Training.DeviceRequest.Resolve()"/> turns <c>auto</c>, <c>cpu</c> or <c>cuda:N</c> into a device.
    /// </summary>
    public Device? Device { get; init; }

    /// <summary>
    /// The transform applied to each batch of pixels scaled to [0, 1]; it should end with (or contain) a
    /// <see cref="Normalize"/>. Null normalizes only, with <see cref="Statistics"/>: what evaluation batches get.
    /// </summary>
    public BatchTransform? Transform { get; init; }

    /// <summary>
    /// The per-channel statistics batches are normalized with when there is no <see cref="Transform"/>; null uses the
    /// dataset's (<see cref="DatasetInfo.GetChannelStatistics"/>). A transform normalizes itself, so setting both is an error.
    /// </summary>
    public ChannelStatistics? Statistics { get; init; }

    /// <summary>
    /// How many finished batches may wait, prepared by a background thread while the consumer works on the current
    /// one; 0 prepares each batch on the consumer's thread when it is asked for. Null (the default) prefetches one batch
    /// where that pays, on a CUDA device, whose kernels run asynchronously while the host prepares the next batch; and
    /// none on the CPU, where the producer's tensor operations would compete with the training step's for the same
    /// cores (libtorch's intra-op pool already uses them all), which made epochs slower (docs/benchmarks.md).
    /// </summary>
    public int? Prefetch { get; init; }
}
