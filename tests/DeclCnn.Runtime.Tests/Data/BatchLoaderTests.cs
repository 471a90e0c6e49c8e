using System;
using System.Collections.Generic;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Augmentation;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Data;

public sealed class BatchLoaderTests : IDisposable
{
    private readonly ImageDataset indexed;
    private readonly ImageDataset colour;

    public BatchLoaderTests()
    {
        Synthetic.EnsureTorch();
        indexed = Synthetic.Indexed(10, Normalization.None);
        colour = Synthetic.Random(count: 20, channels: 3, side: 8, seed: 1);
    }

    public void Dispose()
    {
        indexed.Dispose();
        colour.Dispose();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Every_image_is_visited_once_in_the_epoch_order_with_its_label(int prefetch)
    {
        var loader = new BatchLoader(indexed, new LoaderOptions { BatchSize = 3, Seed = 5, Prefetch = prefetch });

        List<(long Index, long Label)> seen = loader.Epoch(2).SelectMany(Contents).ToList();

        Assert.Equal(4, loader.BatchCount);
        Assert.Equal(loader.Order(2), seen.Select(s => s.Index));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), seen.Select(s => s.Index).Order());
        Assert.All(seen, s => Assert.Equal(s.Index % 3, s.Label));
    }

    [Fact]
    public void Same_seed_and_epoch_give_the_same_order()
    {
        var options = new LoaderOptions { BatchSize = 4, Seed = 42 };

        long[] first = Indices(new BatchLoader(indexed, options), 3);
        long[] again = Indices(new BatchLoader(indexed, options with { Prefetch = 0 }), 3);
        long[] otherEpoch = Indices(new BatchLoader(indexed, options), 4);
        long[] otherSeed = Indices(new BatchLoader(indexed, options with { Seed = 43 }), 3);

        Assert.Equal(first, again);
        Assert.Equal(first, new BatchLoader(indexed, options).Order(3));
        Assert.NotEqual(first, otherEpoch);
        Assert.NotEqual(first, otherSeed);
        Assert.NotEqual(Enumerable.Range(0, 10).Select(i => (long)i), first);
    }

    [Fact]
    public void Without_shuffle_batches_follow_dataset_order()
    {
        var loader = new BatchLoader(indexed, new LoaderOptions { BatchSize = 4, Shuffle = false, Seed = 42 });

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), Indices(loader, 7));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), loader.Order(7));
    }

    [Fact]
    public void Batches_are_float_images_and_int64_labels_on_the_device()
    {
        var loader = new BatchLoader(colour, new LoaderOptions { BatchSize = 8, Device = CPU });

        var batches = loader.Epoch(0)
            .Select(b => (Shape: b.Images.shape, LabelShape: b.Labels.shape, Images: b.Images.dtype, Labels: b.Labels.dtype, Device: b.Images.device_type))
            .ToList();

        Assert.Equal(3, loader.BatchCount);
        Assert.Equal([8L, 3, 8, 8], batches[0].Shape);
        Assert.Equal([4L, 3, 8, 8], batches[2].Shape);
        Assert.Equal([4L], batches[2].LabelShape);
        Assert.All(batches, b => Assert.Equal((ScalarType.Float32, ScalarType.Int64, DeviceType.CPU), (b.Images, b.Labels, b.Device)));
    }

    [Fact]
    public void Drop_last_skips_the_short_batch()
    {
        var loader = new BatchLoader(indexed, new LoaderOptions { BatchSize = 4, DropLast = true });

        Assert.Equal(2, loader.BatchCount);
        Assert.Equal([4, 4], loader.Epoch(0).Select(b => b.Count));
    }

    [Fact]
    public void Without_a_transform_batches_are_normalized_with_the_dataset_statistics_or_the_given_ones()
    {
        byte[] pixels = [0, 51, 255, 102];
        using ImageDataset single = ImageDataset.FromBytes(pixels, new byte[] { 1 }, Synthetic.Info(2, 3, new Normalization(0.2860f, 0.3530f)));

        float[] fromDataset = Values(new BatchLoader(single, new LoaderOptions()));
        float[] overridden = Values(new BatchLoader(single, new LoaderOptions { Statistics = new ChannelStatistics([0.5f], [0.25f]) }));
        float[] evaluation = Values(BatchLoader.ForEvaluation(single, 1, statistics: new ChannelStatistics([0.5f], [0.25f])));

        Assert.Equal(pixels.Select(p => (p / 255f - 0.2860f) / 0.3530f), fromDataset, (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal([-2f, -1.2f, 2f, -0.4f], overridden, (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal(overridden, evaluation);
    }

    [Fact]
    public void Plain_batches_are_exactly_the_folded_normalization_per_channel()
    {
        var statistics = new ChannelStatistics([0.1f, 0.5f, 0.9f], [0.2f, 0.3f, 0.4f]);
        using ImageDataset withStatistics = ImageDataset.FromBytes(colour.Images.data<byte>().ToArray(), colour.Labels.data<long>().Select(l => (byte)l).ToArray(),
            colour.Info with { ChannelStatistics = statistics });

        // What a trainer sees through the interface: x * (1 / (255 std)) - mean / std, the arithmetic of plain batches
        // since the first loader, one multiply and one subtract by scalars per channel, bit for bit.
        IBatchSource[] sources =
        [
            new BatchLoader(withStatistics, new LoaderOptions { BatchSize = 8, Shuffle = false }),
            BatchLoader.ForEvaluation(withStatistics, 8),
        ];
        using Tensor expected = cat(Enumerable.Range(0, 3).Select(c => withStatistics.Images[.., c..(c + 1)].to_type(ScalarType.Float32)
            .mul_(1f / (255f * statistics.Std[c])).sub_(statistics.Mean[c] / statistics.Std[c])).ToArray(), 1);
        float[] expectedValues = expected.data<float>().ToArray();

        Assert.All(sources, source => Assert.Equal(expectedValues, source.Epoch(0).SelectMany(b => b.Images.data<float>().ToArray())));
    }

    [Fact]
    public void Augmented_batches_match_the_transform_applied_with_the_batch_seed_chain()
    {
        var transform = new Compose(new RandomCrop(2), new RandomHorizontalFlip(), new Normalize(colour.Info.GetChannelStatistics()), new RandomErasing(0.5));
        var options = new LoaderOptions { BatchSize = 6, Seed = 3, Transform = transform };

        float[][] first = Images(new BatchLoader(colour, options), 1);
        float[][] again = Images(new BatchLoader(colour, options), 1);
        float[][] synchronous = Images(new BatchLoader(colour, options with { Prefetch = 0 }), 1);
        float[][] deepPrefetch = Images(new BatchLoader(colour, options with { Prefetch = 4 }), 1);
        float[][] otherEpoch = Images(new BatchLoader(colour, options), 2);
        float[][] otherSeed = Images(new BatchLoader(colour, options with { Seed = 4 }), 1);
        float[][] plain = Images(new BatchLoader(colour, options with { Transform = null }), 1);

        Assert.Equal(first, again);
        Assert.Equal(first, synchronous);
        Assert.Equal(first, deepPrefetch);
        Assert.NotEqual(first, otherSeed);
        Assert.NotEqual(first[0], plain[0]);
        Assert.NotEqual(first.SelectMany(i => i).Order(), otherEpoch.SelectMany(i => i).Order());
    }

    [Fact]
    public void Breaking_out_early_disposes_prefetched_batches_and_the_next_epoch_works()
    {
        var loader = new BatchLoader(indexed, new LoaderOptions { BatchSize = 2, Prefetch = 2 });
        Batch? kept = null;

        foreach (Batch batch in loader.Epoch(0))
        {
            kept = batch;
            break;
        }

        Assert.NotNull(kept);
        Assert.True(kept.Images.IsInvalid);
        Assert.Equal(10, loader.Epoch(1).Sum(b => b.Count));
    }

    [Fact]
    public void A_batch_is_disposed_when_the_iteration_moves_on_and_survives_a_caller_scope()
    {
        var loader = new BatchLoader(indexed, new LoaderOptions { BatchSize = 4 });
        using IEnumerator<Batch> enumerator = loader.Epoch(0).GetEnumerator();

        Assert.True(enumerator.MoveNext());
        Batch first = enumerator.Current;
        using (NewDisposeScope())
        {
            using Tensor sum = first.Images.sum();
        }

        Assert.False(first.Images.IsInvalid);
        Assert.True(enumerator.MoveNext());
        Assert.True(first.Images.IsInvalid);
        Assert.True(first.Labels.IsInvalid);
        Batch second = enumerator.Current;
        enumerator.Dispose();
        Assert.True(second.Images.IsInvalid);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_failing_transform_surfaces_on_the_consumer(int prefetch)
    {
        var loader = new BatchLoader(indexed, new LoaderOptions { BatchSize = 4, Prefetch = prefetch, Transform = new Failing() });

        var error = Assert.Throws<InvalidOperationException>(() => loader.Epoch(0).ToList());

        Assert.Equal("transform failed", error.Message);
    }

    [Fact]
    public void Prefetching_is_off_on_the_cpu_and_one_batch_on_cuda_unless_set()
    {
        Assert.Equal(0, new BatchLoader(indexed, new LoaderOptions()).Prefetch);
        Assert.Equal(1, new BatchLoader(indexed, new LoaderOptions { Device = new Device(DeviceType.CUDA, 0) }).Prefetch);
        Assert.Equal(3, new BatchLoader(indexed, new LoaderOptions { Prefetch = 3 }).Prefetch);
        Assert.Equal(0, new BatchLoader(indexed, new LoaderOptions { Device = new Device(DeviceType.CUDA, 0), Prefetch = 0 }).Prefetch);
    }

    [Fact]
    public void Evaluation_batches_are_larger_than_training_ones_by_default()
    {
        using ImageDataset images = Synthetic.Random(count: 300, channels: 1, side: 4, seed: 2);

        var loader = BatchLoader.ForEvaluation(images);

        Assert.Equal(256, BatchLoader.DefaultEvaluationBatchSize);
        Assert.Equal(new long[] { 256, 44 }, loader.Epoch(0).Select(static b => b.Images.shape[0]).ToArray());
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(indexed, new LoaderOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(indexed, new LoaderOptions { Prefetch = -1 }));
        var statistics = new ChannelStatistics([0.5f], [0.25f]);
        var both = Assert.Throws<ArgumentException>(() => new BatchLoader(indexed, new LoaderOptions { Transform = new Normalize(statistics), Statistics = statistics }));
        var channels = Assert.Throws<ArgumentException>(() => new BatchLoader(colour, new LoaderOptions { Statistics = statistics }));

        Assert.Contains("no Transform", both.Message, StringComparison.Ordinal);
        Assert.Contains("1 channels but dataset 'Random' has 3", channels.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<(long Index, long Label)> Contents(Batch batch)
    {
        // Every pixel of image i equals i (Synthetic.Indexed); its statistics are Normalization.None, so the loader yields i / 255.
        float[] firstPixels = batch.Images[.., 0, 0, 0].data<float>().ToArray();
        long[] labels = batch.Labels.data<long>().ToArray();
        return firstPixels.Select((p, k) => ((long)Math.Round(p * 255), labels[k])).ToArray();
    }

    private static long[] Indices(BatchLoader loader, int epoch) => loader.Epoch(epoch).SelectMany(Contents).Select(c => c.Index).ToArray();

    private static float[] Values(BatchLoader loader) => loader.Epoch(0).SelectMany(b => b.Images.data<float>().ToArray()).ToArray();

    private static float[][] Images(BatchLoader loader, int epoch) => loader.Epoch(epoch).Select(b => b.Images.data<float>().ToArray()).ToArray();

    private sealed class Failing : BatchTransform
    {
        public override Tensor Apply(Tensor images, AugmentationRandom random) => throw new InvalidOperationException("transform failed");
    }
}
