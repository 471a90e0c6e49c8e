using System;
using System.Collections.Generic;
using System.Linq;
using DeclCnn.Runtime.Data;
using TorchSharp;
using Xunit;

namespace DeclCnn.Runtime.Tests.Data;

public sealed class BatchIteratorTests : IDisposable
{
    private readonly ImageDataset dataset;

    public BatchIteratorTests()
    {
        Synthetic.EnsureTorch();
        dataset = Synthetic.Indexed(10, Normalization.None);
    }

    public void Dispose() => dataset.Dispose();

    [Fact]
    public void Batches_have_the_expected_shapes_and_types()
    {
        var iterator = new BatchIterator(dataset, new BatchOptions { BatchSize = 4 });

        List<(long[] Images, long[] Labels, torch.ScalarType, torch.ScalarType)> shapes = iterator.Epoch(0)
            .Select(b => (b.Images.shape, b.Labels.shape, b.Images.dtype, b.Labels.dtype))
            .ToList();

        Assert.Equal(3, iterator.BatchCount);
        Assert.Equal([4L, 1, 2, 2], shapes[0].Images);
        Assert.Equal([2L, 1, 2, 2], shapes[2].Images);
        Assert.Equal([2L], shapes[2].Labels);
        Assert.All(shapes, s => Assert.Equal((torch.ScalarType.Float32, torch.ScalarType.Int64), (s.Item3, s.Item4)));
    }

    [Fact]
    public void Drop_last_skips_the_short_batch()
    {
        var iterator = new BatchIterator(dataset, new BatchOptions { BatchSize = 4, DropLast = true });

        Assert.Equal(2, iterator.BatchCount);
        Assert.Equal([4, 4], iterator.Epoch(0).Select(b => b.Count));
    }

    [Fact]
    public void Every_image_is_visited_once_with_its_label()
    {
        var iterator = new BatchIterator(dataset, new BatchOptions { BatchSize = 3, Seed = 5 });

        List<(long Index, long Label)> seen = iterator.Epoch(1).SelectMany(Contents).ToList();

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), seen.Select(s => s.Index).Order());
        Assert.All(seen, s => Assert.Equal(s.Index % 3, s.Label));
    }

    [Fact]
    public void Same_seed_and_epoch_give_the_same_order()
    {
        var options = new BatchOptions { BatchSize = 4, Seed = 42 };

        long[] first = Indices(new BatchIterator(dataset, options), 3);
        long[] again = Indices(new BatchIterator(dataset, options), 3);
        long[] otherEpoch = Indices(new BatchIterator(dataset, options), 4);
        long[] otherSeed = Indices(new BatchIterator(dataset, options with { Seed = 43 }), 3);

        Assert.Equal(first, again);
        Assert.Equal(first, new BatchIterator(dataset, options).Order(3));
        Assert.NotEqual(first, otherEpoch);
        Assert.NotEqual(first, otherSeed);
        Assert.NotEqual(Enumerable.Range(0, 10).Select(i => (long)i), first);
    }

    [Fact]
    public void Without_shuffle_batches_follow_dataset_order()
    {
        var iterator = new BatchIterator(dataset, new BatchOptions { BatchSize = 4, Shuffle = false, Seed = 42 });

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), Indices(iterator, 7));
    }

    [Fact]
    public void Images_are_normalized_with_the_given_statistics()
    {
        byte[] pixels = [0, 51, 255, 102];
        using ImageDataset single = ImageDataset.FromBytes(pixels, new byte[] { 1 }, Synthetic.Info(2, 3, new Normalization(0.2860f, 0.3530f)));

        float[] fromDataset = Values(new BatchIterator(single, new BatchOptions()));
        float[] overridden = Values(new BatchIterator(single, new BatchOptions { Normalization = new Normalization(0.5f, 0.25f) }));

        Assert.Equal(pixels.Select(p => (p / 255f - 0.2860f) / 0.3530f), fromDataset, (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal([-2f, -1.2f, 2f, -0.4f], overridden, (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void A_batch_is_disposed_when_the_iteration_moves_on()
    {
        var iterator = new BatchIterator(dataset, new BatchOptions { BatchSize = 4 });
        using IEnumerator<Batch> enumerator = iterator.Epoch(0).GetEnumerator();

        Assert.True(enumerator.MoveNext());
        Batch first = enumerator.Current;
        Assert.False(first.Images.IsInvalid);
        Assert.True(enumerator.MoveNext());
        Assert.True(first.Images.IsInvalid);
        Assert.True(first.Labels.IsInvalid);
        Batch second = enumerator.Current;
        enumerator.Dispose();
        Assert.True(second.Images.IsInvalid);
    }

    [Fact]
    public void Batches_survive_a_dispose_scope_opened_by_the_caller()
    {
        var iterator = new BatchIterator(dataset, new BatchOptions { BatchSize = 4 });

        foreach (Batch batch in iterator.Epoch(0))
        {
            using (torch.NewDisposeScope())
            {
                using var sum = batch.Images.sum();
            }

            Assert.False(batch.Images.IsInvalid);
        }
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchIterator(dataset, new BatchOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchIterator(dataset, new BatchOptions { Normalization = new Normalization(0, 0) }));
    }

    private static IEnumerable<(long Index, long Label)> Contents(Batch batch)
    {
        // Every pixel of image i equals i (see Synthetic.Indexed) and Normalization.None maps it to i / 255.
        float[] firstPixels = batch.Images[.., 0, 0, 0].data<float>().ToArray();
        long[] labels = batch.Labels.data<long>().ToArray();
        return firstPixels.Select((p, k) => ((long)Math.Round(p * 255), labels[k])).ToArray();
    }

    private static long[] Indices(BatchIterator iterator, int epoch) =>
        iterator.Epoch(epoch).SelectMany(Contents).Select(c => c.Index).ToArray();

    private static float[] Values(BatchIterator iterator) =>
        iterator.Epoch(0).SelectMany(b => b.Images.data<float>().ToArray()).ToArray();
}
