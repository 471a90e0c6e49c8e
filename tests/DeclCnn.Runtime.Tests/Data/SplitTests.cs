using System;
using System.Linq;
using DeclCnn.Runtime.Data;
using Xunit;

namespace DeclCnn.Runtime.Tests.Data;

public sealed class SplitTests : IDisposable
{
    private readonly ImageDataset dataset;

    public SplitTests()
    {
        Synthetic.EnsureTorch();
        dataset = Synthetic.Indexed(100, Normalization.None);
    }

    public void Dispose() => dataset.Dispose();

    [Fact]
    public void The_split_is_disjoint_complete_and_sized_by_the_fraction()
    {
        using TrainValidationSplit split = dataset.SplitValidation(0.2, seed: 7);

        long[] train = Ids(split.Train);
        long[] validation = Ids(split.Validation);

        Assert.Equal(80, train.Length);
        Assert.Equal(20, validation.Length);
        Assert.Empty(train.Intersect(validation));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), train.Concat(validation).Order());
        Assert.Equal(train.Order(), train);
        Assert.Equal(validation.Select(id => id % 3), split.Validation.Labels.data<long>().ToArray());
        Assert.Same(dataset.Info, split.Train.Info);
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        using TrainValidationSplit first = dataset.SplitValidation(0.1, seed: 3);
        using TrainValidationSplit again = dataset.SplitValidation(0.1, seed: 3);
        using TrainValidationSplit other = dataset.SplitValidation(0.1, seed: 4);

        Assert.Equal(Ids(first.Validation), Ids(again.Validation));
        Assert.NotEqual(Ids(first.Validation), Ids(other.Validation));
        Assert.NotEqual(Enumerable.Range(0, 10).Select(i => (long)i), Ids(first.Validation));
    }

    [Fact]
    public void The_split_sets_own_their_tensors()
    {
        TrainValidationSplit split = dataset.SplitValidation(0.5, seed: 1);

        split.Dispose();

        Assert.False(dataset.Images.IsInvalid);
        Assert.True(split.Train.Images.IsInvalid);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(0.001)]
    [InlineData(0.999)]
    public void Fractions_that_leave_a_side_empty_are_rejected(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.SplitValidation(fraction, seed: 1));

    [Fact]
    public void Subset_rejects_indices_outside_the_dataset()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.Subset([0, 100]));
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.Subset([-1]));
    }

    // Every pixel of image i equals i (Synthetic.Indexed).
    private static long[] Ids(ImageDataset set) => set.Images[.., 0, 0, 0].data<byte>().ToArray().Select(b => (long)b).ToArray();
}
