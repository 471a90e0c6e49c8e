using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeclCnn.Runtime.Data.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// Feeds a model from an <see cref="ImageDataset"/>: per-epoch shuffling from a seed, batches gathered as bytes,
/// moved to the training device and converted there to normalized float32, either directly (no transform) or
/// through a transform that augments and normalizes the whole batch (<see cref="LoaderOptions.Transform"/>), with
/// the next batches prepared on a background thread while the current one is in use.
/// </summary>
/// <remarks>
/// <para>Batch <c>b</c> of epoch <c>e</c> draws its augmentation parameters from a generator seeded with
/// (<see cref="LoaderOptions.Seed"/>, e, b), so it is identical from run to run whatever the prefetching and
/// however far an earlier epoch was consumed.</para>
/// <para>A yielded <see cref="Batch"/> stays valid until the enumeration moves on or ends; the loader then
/// disposes it. Batch tensors belong to no dispose scope, so a scope opened per training step does not free
/// them early.</para>
/// </remarks>
public sealed class BatchLoader : IBatchSource
{
    private const ulong AugmentationStream = 0x4175676D656E74UL;

    private readonly ImageDataset dataset;
    private readonly LoaderOptions options;

    // Without a transform, (x / 255 - mean[c]) / std[c] is computed as x * scale[c] - shift[c]: one multiply and one
    // subtract, the arithmetic plain batches have always had, so un-augmented runs reproduce bit for bit.
    private readonly float[] scale = [];
    private readonly float[] shift = [];

    /// <summary>Loads <paramref name="dataset"/> as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is not positive or the prefetch count is negative.</exception>
    /// <exception cref="ArgumentException">The dataset gives no batch (it has no images, or fewer than one batch with <see cref="LoaderOptions.DropLast"/>), both a transform and statistics are given, or the statistics do not have the dataset's channel count.</exception>
    public BatchLoader(ImageDataset dataset, LoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Prefetch ?? 0, nameof(options));
        this.dataset = dataset;
        this.options = options;
        if (BatchCount == 0)
        {
            // Caught here, a missing dataset is named; later it would only be an epoch that trained on nothing.
            throw new ArgumentException(
                dataset.Count == 0
                    ? $"Dataset '{dataset.Info.Name}' has no images: there is nothing to load."
                    : $"Dataset '{dataset.Info.Name}' has {dataset.Count} images, fewer than one batch of {options.BatchSize}, and DropLast drops that batch: every epoch would be empty.",
                nameof(dataset));
        }

        if (options.Transform is null)
        {
            ChannelStatistics statistics = options.Statistics ?? dataset.Info.GetChannelStatistics();
            if (statistics.Channels != dataset.Info.Channels)
            {
                throw new ArgumentException(
                    $"The statistics have {statistics.Channels} channels but dataset '{dataset.Info.Name}' has {dataset.Info.Channels}.", nameof(options));
            }

            scale = statistics.Std.Select(std => 1f / (255f * std)).ToArray();
            shift = statistics.Mean.Zip(statistics.Std, (mean, std) => mean / std).ToArray();
            Statistics = statistics;
        }
        else if (options.Statistics is not null)
        {
            throw new ArgumentException(
                "LoaderOptions.Statistics normalizes batches that have no Transform; with a Transform, put a Normalize with those statistics into it.",
                nameof(options));
        }
        else
        {
            Statistics = NormalizationIn(options.Transform);
        }
    }

    /// <summary>What the dataset's tensors mean: its name, image shape and class names.</summary>
    public DatasetInfo Info => dataset.Info;

    /// <summary>
    /// The per-channel statistics batches are normalized with: <see cref="LoaderOptions.Statistics"/> or the dataset's
    /// without a transform, else those of the transform's <see cref="Normalize"/>; null when the transform has none.
    /// </summary>
    public ChannelStatistics? Statistics { get; }

    /// <summary>The transform every batch goes through; null when batches are only normalized (<see cref="LoaderOptions.Statistics"/>).</summary>
    public BatchTransform? Transform => options.Transform;

    /// <summary>The device batches are produced on (<see cref="LoaderOptions.Device"/>; the CPU when that is null).</summary>
    public Device Device => options.Device ?? CPU;

    /// <summary>The number of batches per epoch.</summary>
    public long BatchCount => options.DropLast
        ? dataset.Count / options.BatchSize
        : (dataset.Count + options.BatchSize - 1) / options.BatchSize;

    /// <summary>The batches prepared ahead on a background thread: <see cref="LoaderOptions.Prefetch"/>, or where unset 1 on a CUDA device and 0 on the CPU.</summary>
    public int Prefetch => options.Prefetch ?? (options.Device is { type: DeviceType.CUDA } ? 1 : 0);

    /// <summary>
    /// The batch size <see cref="ForEvaluation"/> uses by default: larger than training's usual 32-128, since a pass without
    /// gradients keeps no activations for a backward pass, and fewer, larger batches use the cores better. Lower it for
    /// large inputs (224x224 networks) when memory is short.
    /// </summary>
    public const int DefaultEvaluationBatchSize = 256;

    /// <summary>
    /// A loader for evaluation: dataset order, no augmentation, normalization with the dataset's statistics
    /// (or <paramref name="statistics"/>), every image kept, in batches of <paramref name="batchSize"/>.
    /// </summary>
    public static BatchLoader ForEvaluation(ImageDataset dataset, int batchSize = DefaultEvaluationBatchSize, Device? device = null, ChannelStatistics? statistics = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new BatchLoader(dataset, new LoaderOptions { BatchSize = batchSize, Shuffle = false, Device = device, Statistics = statistics });
    }

    /// <summary>The dataset indices of epoch <paramref name="epoch"/>, in visiting order; without shuffling, dataset order.</summary>
    public long[] Order(int epoch) => SplitMix64.EpochOrder(dataset.Count, options.Shuffle, options.Seed, epoch);

    /// <summary>The batches of epoch <paramref name="epoch"/>; with a <see cref="Prefetch"/> above 0 they are prepared on a background thread.</summary>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        long[] order = Order(epoch);
        return Prefetch == 0 ? Synchronous(order, epoch) : Prefetched(order, epoch);
    }

    private IEnumerable<Batch> Synchronous(long[] order, int epoch)
    {
        for (long batch = 0; batch < BatchCount; batch++)
        {
            using Batch current = Produce(order, epoch, batch);
            yield return current;
        }
    }

    private IEnumerable<Batch> Prefetched(long[] order, int epoch)
    {
        using var queue = new BlockingCollection<Batch>(Prefetch);
        using var stop = new CancellationTokenSource();
        Task producer = Task.Factory.StartNew(
            () => Produce(order, epoch, queue, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            foreach (Batch batch in queue.GetConsumingEnumerable())
            {
                using (batch)
                {
                    yield return batch;
                }
            }

            // Rethrows what stopped the producer early, if anything.
            producer.GetAwaiter().GetResult();
        }
        finally
        {
            // The consumer left early (break, exception) or finished: stop the producer and free what it made.
            stop.Cancel();
            try
            {
                producer.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                // Already reported above when the enumeration completed; otherwise the consumer is leaving anyway.
            }

            while (queue.TryTake(out Batch? left))
            {
                left.Dispose();
            }
        }
    }

    private void Produce(long[] order, int epoch, BlockingCollection<Batch> queue, CancellationToken stop)
    {
        try
        {
            for (long index = 0; index < BatchCount && !stop.IsCancellationRequested; index++)
            {
                Batch batch = Produce(order, epoch, index);
                try
                {
                    queue.Add(batch, stop);
                }
                catch (OperationCanceledException)
                {
                    batch.Dispose();
                    return;
                }
            }
        }
        finally
        {
            queue.CompleteAdding();
        }
    }

    private Batch Produce(long[] order, int epoch, long index)
    {
        using DisposeScope scope = NewDisposeScope();
        long start = index * options.BatchSize;
        int count = (int)Math.Min(options.BatchSize, order.LongLength - start);
        Device device = Device;
        Tensor indices = tensor(order.AsSpan((int)start, count).ToArray(), device: dataset.Images.device);
        // Bytes travel to the device (4x less than float32) and are converted there.
        Tensor pixels = dataset.Images.index_select(0, indices).to(device);
        Tensor images = options.Transform?.ApplyToBytes(pixels, Parameters(epoch, index)) ?? Normalized(pixels);
        Tensor labels = dataset.Labels.index_select(0, indices).to(device);
        return new Batch(images.DetachFromDisposeScope(), labels.DetachFromDisposeScope());
    }

    /// <summary>The augmentation parameters of batch <paramref name="index"/> of <paramref name="epoch"/>: independent of every other batch.</summary>
    private AugmentationRandom Parameters(int epoch, long index) =>
        new(SplitMix64.Derive(SplitMix64.Derive(options.Seed ^ AugmentationStream, (ulong)epoch), (ulong)index));

    private static ChannelStatistics? NormalizationIn(BatchTransform transform) => transform switch
    {
        Normalize normalize => normalize.Statistics,
        Compose compose => compose.Transforms.Select(NormalizationIn).LastOrDefault(static s => s is not null),
        _ => null,
    };

    private Tensor Normalized(Tensor pixels)
    {
        long[] perChannel = [1, scale.Length, 1, 1];
        return pixels.to_type(ScalarType.Float32)
            .mul_(tensor(scale, perChannel, device: pixels.device))
            .sub_(tensor(shift, perChannel, device: pixels.device));
    }
}
