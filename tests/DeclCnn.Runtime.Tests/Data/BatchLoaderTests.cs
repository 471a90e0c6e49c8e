using System;
using System.Collections.Generic;
using System.Linq;
using DeclCnn.Runtime.Data;
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
        Assert.Equal(new BatchIterator(indexed, new BatchOptions { Seed = 5 }).Order(2), loader.Order(2));
        Assert.NotEqual(loader.Order(2), loader.Order(3));
    }

    [Fact]
    public void Batches_are_float_images_and_int64_labels_on_the_device()
    {
        var loader = new BatchLoader(colour, new LoaderOptions { BatchSize = 8, Device = CPU });

        var batches = loader.Epoch(0).Select(b => (Shape: b.Images.shape, Images: b.Images.dtype, Labels: b.Labels.dtype, Device: b.Images.device_type)).ToList();

        Assert.Equal([8L, 3, 8, 8], batches[0].Shape);
        Assert.Equal([4L, 3, 8, 8], batches[2].Shape);
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
    public void Without_a_transform_batches_are_normalized_per_channel_only()
    {
        var statistics = new ChannelStatistics([0.1f, 0.5f, 0.9f], [0.2f, 0.3f, 0.4f]);
        using ImageDataset dataset = colour.Subset([0, 1, 2]);
        var info = dataset.Info with { ChannelStatistics = statistics };
        using ImageDataset withStatistics = ImageDataset.FromBytes(dataset.Images.data<byte>().ToArray(), [0, 1, 2], info);
        byte[] pixels = withStatistics.Images.data<byte>().ToArray();

        float[] values = new BatchLoader(withStatistics, new LoaderOptions { Shuffle = false }).Epoch(0).Select(b => b.Images.data<float>().ToArray()).Single();
        float[] evaluation = BatchLoader.ForEvaluation(withStatistics, 2).Epoch(0).SelectMany(b => b.Images.data<float>().ToArray()).ToArray();

        float[] expected = pixels.Select((p, i) => (p / 255f - statistics.Mean[i / 64 % 3]) / statistics.Std[i / 64 % 3]).ToArray();
        Assert.Equal(expected, values, (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal(expected, evaluation, (a, b) => Math.Abs(a - b) < 1e-5);
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
    public void The_loader_is_a_batch_source_for_the_trainer()
    {
        IBatchSource[] sources = [BatchLoader.ForEvaluation(indexed, 4), new BatchIterator(indexed, new BatchOptions { BatchSize = 4, Shuffle = false })];

        // What a trainer sees through the interface is the same from the loader as from the plain iterator.
        var seen = sources.Select(s => (s.BatchCount, Images: s.Epoch(0).SelectMany(b => b.Images.data<float>().ToArray()).ToArray())).ToList();

        Assert.Equal(3, seen[0].BatchCount);
        Assert.Equal(seen[1].BatchCount, seen[0].BatchCount);
        Assert.Equal(seen[1].Images, seen[0].Images, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(indexed, new LoaderOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(indexed, new LoaderOptions { Prefetch = -1 }));
    }

    private static IEnumerable<(long Index, long Label)> Contents(Batch batch)
    {
        // Every pixel of image i equals i (Synthetic.Indexed); its statistics are Normalization.None, so the loader yields i / 255.
        float[] firstPixels = batch.Images[.., 0, 0, 0].data<float>().ToArray();
        long[] labels = batch.Labels.data<long>().ToArray();
        return firstPixels.Select((p, k) => ((long)Math.Round(p * 255), labels[k])).ToArray();
    }

    private static float[][] Images(BatchLoader loader, int epoch) => loader.Epoch(epoch).Select(b => b.Images.data<float>().ToArray()).ToArray();

    private sealed class Failing : BatchTransform
    {
        public override Tensor Apply(Tensor images, AugmentationRandom random) => throw new InvalidOperationException("transform failed");
    }
}
