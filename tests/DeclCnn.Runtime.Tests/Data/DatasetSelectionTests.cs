using System;
using System.Linq;
using DeclCnn.Runtime.Data;
using Xunit;

namespace DeclCnn.Runtime.Tests.Data;

/// <summary>Seeded random subsets and class selection with relabelling, on a dataset whose pixel 0 is the image's index.</summary>
public sealed class DatasetSelectionTests
{
    private static readonly DatasetInfo Info = new("Tiny", 1, 2, 2, ["a", "b", "c", "d"], new Normalization(0.5f, 0.25f));

    [Fact]
    public void A_random_subset_is_reproducible_in_dataset_order_and_differs_by_seed()
    {
        using var dataset = Dataset(40);

        using var first = dataset.RandomSubset(10, seed: 7);
        using var again = dataset.RandomSubset(10, seed: 7);
        using var other = dataset.RandomSubset(10, seed: 8);

        long[] picked = Indices(first);
        Assert.Equal(10, picked.Length);
        Assert.Equal(picked, Indices(again));
        Assert.Equal(picked.Order(), picked);
        Assert.Equal(10, picked.Distinct().Count());
        Assert.NotEqual(picked, Indices(other));
        Assert.Equal(picked.Select(i => i % 4), first.Labels.data<long>().ToArray());
    }

    [Fact]
    public void A_random_subset_larger_than_the_dataset_is_refused()
    {
        using var dataset = Dataset(5);

        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.RandomSubset(6, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.RandomSubset(0, 0));
    }

    [Fact]
    public void Selected_classes_are_relabelled_in_the_order_given_with_their_names()
    {
        using var dataset = Dataset(12);

        using var selected = dataset.SelectClasses(3, 1);

        // Images 1, 3, 5, 7, 9, 11 have labels 1, 3, 1, 3, 1, 3: class 3 becomes 0 and class 1 becomes 1.
        Assert.Equal(new long[] { 1, 3, 5, 7, 9, 11 }, Indices(selected));
        Assert.Equal(new long[] { 1, 0, 1, 0, 1, 0 }, selected.Labels.data<long>().ToArray());
        Assert.Equal(["d", "b"], selected.Info.ClassNames);
        Assert.Equal(dataset.Info.Normalization, selected.Info.Normalization);
        Assert.Equal(12, dataset.Count);
    }

    [Fact]
    public void Selecting_no_class_a_repeated_class_or_an_unknown_one_is_refused()
    {
        using var dataset = Dataset(8);

        Assert.Throws<ArgumentException>(() => dataset.SelectClasses());
        Assert.Throws<ArgumentException>(() => dataset.SelectClasses(1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.SelectClasses(4));
    }

    private static ImageDataset Dataset(int count)
    {
        byte[] pixels = Enumerable.Range(0, count).SelectMany(i => new[] { (byte)i, (byte)0, (byte)0, (byte)0 }).ToArray();
        byte[] labels = Enumerable.Range(0, count).Select(i => (byte)(i % 4)).ToArray();
        return ImageDataset.FromBytes(pixels, labels, Info);
    }

    private static long[] Indices(ImageDataset dataset) =>
        dataset.Images.data<byte>().ToArray().Where((_, i) => i % 4 == 0).Select(static b => (long)b).ToArray();
}
