using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// Cuts an <see cref="ImageDataset"/> into batches: gathers the bytes of each batch, moves them to the
/// target device (as bytes, 4x less to transfer) and converts them there to normalized float32.
/// </summary>
/// <remarks>
/// A yielded <see cref="Batch"/> stays valid until the enumeration moves to the next batch or ends; the
/// iterator then disposes it. Clone its tensors to keep them longer. Batch tensors belong to no dispose
/// scope, so a scope the caller opens per step does not free them early.
/// </remarks>
public sealed class BatchIterator : IBatchSource
{
    private readonly ImageDataset dataset;
    private readonly BatchOptions options;
    private readonly Normalization normalization;

    /// <summary>Batches <paramref name="dataset"/> as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The batch size or the normalization's std is not positive.</exception>
    public BatchIterator(ImageDataset dataset, BatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize, nameof(options));
        this.dataset = dataset;
        this.options = options;
        normalization = options.Normalization ?? dataset.Info.Normalization;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(normalization.Std, nameof(options));
    }

    /// <summary>The number of batches per epoch.</summary>
    public long BatchCount => options.DropLast
        ? dataset.Count / options.BatchSize
        : (dataset.Count + options.BatchSize - 1) / options.BatchSize;

    /// <summary>The batches of epoch <paramref name="epoch"/>; without shuffling every epoch is in dataset order.</summary>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        long[] order = Order(epoch);
        for (long batch = 0; batch < BatchCount; batch++)
        {
            long start = batch * options.BatchSize;
            int count = (int)Math.Min(options.BatchSize, order.LongLength - start);
            using Batch current = Gather(order.AsSpan((int)start, count));
            yield return current;
        }
    }

    /// <summary>The dataset indices of epoch <paramref name="epoch"/>, in visiting order.</summary>
    public long[] Order(int epoch) => SplitMix64.EpochOrder(dataset.Count, options.Shuffle, options.Seed, epoch);

    private Batch Gather(ReadOnlySpan<long> indices)
    {
        using DisposeScope scope = NewDisposeScope();
        Device device = options.Device ?? CPU;
        Tensor index = tensor(indices.ToArray(), device: dataset.Images.device);
        // (x / 255 - mean) / std folded into one multiply and one subtract.
        float scale = 1f / (255f * normalization.Std);
        float shift = normalization.Mean / normalization.Std;
        Tensor images = dataset.Images.index_select(0, index).to(device).to_type(ScalarType.Float32).mul_(scale).sub_(shift);
        Tensor labels = dataset.Labels.index_select(0, index).to(device);
        return new Batch(images.DetachFromDisposeScope(), labels.DetachFromDisposeScope());
    }
}
