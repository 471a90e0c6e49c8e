using System;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Runtime.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly ImageDataset train;
    private readonly ImageDataset test;

    public TrainerTests()
    {
        Synthetic.EnsureTorch();
        train = Bars(64, seed: 1);
        test = Bars(32, seed: 2);
    }

    public void Dispose()
    {
        train.Dispose();
        test.Dispose();
    }

    [Fact]
    public void Loss_decreases_and_the_model_learns_a_separable_task()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);

        FitResult result = Trainer.Fit(model, train, test, new FitOptions { Epochs = 8, LearningRate = 1e-2, BatchSize = 16, Seed = 3 });

        Assert.Equal(Enumerable.Range(1, 8), result.History.Select(e => e.Epoch));
        Assert.True(result.Last.TrainLoss < result.History[0].TrainLoss / 2, string.Join("; ", result.History));
        Assert.True(result.Last.TestAccuracy >= 0.9, string.Join("; ", result.History));
        Assert.All(result.History, e => Assert.True(e.ImagesPerSecond > 0 && e.Duration > TimeSpan.Zero));
        Assert.False(model.training);
    }

    [Fact]
    public void Same_seed_gives_the_same_history()
    {
        double[] Losses()
        {
            using TinyCnn model = TinyCnn.Create(seed: 7);
            return Trainer.Fit(model, train, test, new FitOptions { Epochs = 2, BatchSize = 16, Seed = 3 })
                .History.Select(e => e.TrainLoss).ToArray();
        }

        Assert.Equal(Losses(), Losses());
    }

    [Fact]
    public void Writes_one_log_line_per_epoch()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        var lines = new System.Collections.Generic.List<string>();

        Trainer.Fit(model, train, test, new FitOptions { Epochs = 2, BatchSize = 16 }, lines.Add);

        Assert.Equal(2, lines.Count);
        Assert.StartsWith("epoch 2: loss ", lines[1], StringComparison.Ordinal);
        Assert.Contains("test accuracy", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_counts_correct_predictions()
    {
        using var alwaysZero = new ConstantClassifier();
        var batches = new BatchIterator(test, new BatchOptions { BatchSize = 5, Shuffle = false });

        double accuracy = Trainer.Evaluate(alwaysZero, batches);

        long zeros = test.Labels.eq(0).sum().item<long>();
        Assert.Equal((double)zeros / test.Count, accuracy, 10);
    }

    /// <summary>
    /// 8x8 images holding a bright horizontal (class 0) or vertical (class 1) bar at a random position,
    /// on weak noise: easy for a convolution, impossible for a constant guess.
    /// </summary>
    private static ImageDataset Bars(int count, ulong seed)
    {
        var random = new Random((int)seed);
        var pixels = new byte[count * 64];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 2);
            int line = random.Next(8);
            for (int p = 0; p < 64; p++)
            {
                bool onBar = labels[i] == 0 ? p / 8 == line : p % 8 == line;
                pixels[i * 64 + p] = (byte)(onBar ? 200 + random.Next(56) : random.Next(40));
            }
        }

        return ImageDataset.FromBytes(pixels, labels, Synthetic.Info(8, 2, new Normalization(0.2f, 0.3f)));
    }

    /// <summary>A hand-written TorchSharp classifier: conv, ReLU, global max pool, linear.</summary>
    private sealed class TinyCnn : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1;
        private readonly Linear fc;

        private TinyCnn() : base(nameof(TinyCnn))
        {
            conv1 = nn.Conv2d(1, 4, kernel_size: 3, padding: 1);
            fc = nn.Linear(4, 2);
            RegisterComponents();
        }

        public static TinyCnn Create(long seed)
        {
            manual_seed(seed);
            return new TinyCnn();
        }

        public override Tensor forward(Tensor input)
        {
            using var convolved = conv1.forward(input);
            using var features = nn.functional.relu(convolved);
            using var pooled = features.amax([2, 3]);
            return fc.forward(pooled);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                conv1.Dispose();
                fc.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>Always predicts class 0.</summary>
    private sealed class ConstantClassifier : nn.Module<Tensor, Tensor>
    {
        public ConstantClassifier() : base(nameof(ConstantClassifier))
        {
        }

        public override Tensor forward(Tensor input) =>
            tensor(new float[] { 1, 0 }).expand(input.shape[0], 2).clone();
    }
}
