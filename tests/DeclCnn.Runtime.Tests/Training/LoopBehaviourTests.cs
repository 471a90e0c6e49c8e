using System;
using System.Collections.Generic;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Training;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Training;

/// <summary>Memory, early stopping, gradient clipping and the schedule as seen through a real fit.</summary>
public sealed class LoopBehaviourTests : IDisposable
{
    private readonly ImageDataset train = TrainingFixtures.Bars(64, seed: 1);
    private readonly ImageDataset test = TrainingFixtures.Bars(16, seed: 2);

    public void Dispose()
    {
        train.Dispose();
        test.Dispose();
    }

    [Fact]
    public void Live_tensor_count_does_not_grow_over_many_steps()
    {
        // Tensors earlier tests left to the finalizer would otherwise be counted down in the middle of the measurement.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using TinyCnn model = TinyCnn.Create(seed: 7, dropout: 0.2);
        var counts = new List<long>();
        var probe = new Probe(order: 1000)
        {
            // From epoch 2 on, Adam's moments and the metric accumulators exist: every later step must leave the same
            // number of tensors alive as the first one measured.
            OnAfterBatch = t => { if (t.Epoch >= 2 && t.Batch.IsTraining) { counts.Add(Tensor.TotalCount); } },
        };
        FitOptions options = TrainingFixtures.Options(epochs: 6) with
        {
            Schedule = new OneCycleSchedule(),
            GradientClipNorm = 5,
            LabelSmoothing = 0.1,
            EarlyStopping = new EarlyStoppingOptions(Patience: 100),
        };
        using var trainer = new Trainer(model, TrainingFixtures.Batches(train, 8), TrainingFixtures.Batches(test, 8, shuffle: false), options, [probe]);

        trainer.Fit();

        Assert.Equal(5 * 8, counts.Count);
        Assert.All(counts, c => Assert.Equal(counts[0], c));
    }

    [Fact]
    public void Early_stopping_stops_after_patience_and_restores_the_best_weights()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        double[] scores = [0.1, 0.2, 0.5, 0.45, 0.5, 0.49, 0.3, 0.9];
        Dictionary<string, float[]>? weightsAtBest = null;
        var score = new Probe(order: TrainerCallback.Orders.Metrics - 1)
        {
            OnAfterEpoch = t =>
            {
                t.Log("score", scores[t.Epoch - 1]);
                if (t.Epoch == 3)
                {
                    weightsAtBest = TrainingFixtures.Weights(t.Model);
                }
            },
        };
        var stopping = new EarlyStoppingOptions("score", Patience: 3, MinDelta: 0.01);
        using var trainer = new Trainer(
            model, TrainingFixtures.Batches(train, 16), null, TrainingFixtures.Options(epochs: 8) with { EarlyStopping = stopping }, [score]);

        FitResult result = trainer.Fit();

        // Epoch 5's 0.5 does not beat 0.5 by 0.01: epochs 4, 5 and 6 are the three without improvement.
        Assert.Equal(6, result.History.Epochs.Count);
        Assert.Contains("early stopping: score has not improved by more than 0.01 for 3 epochs (best 0.5 in epoch 3)", result.StopReason, StringComparison.Ordinal);
        Assert.Equal(0.49, result.History.Epochs[^1].Get("score"));
        Assert.Equal(weightsAtBest, TrainingFixtures.Weights(model));
        Assert.Equal(3, trainer.Callbacks.OfType<DeclCnn.Runtime.Training.Callbacks.EarlyStoppingCallback>().Single().RestoredEpoch);
    }

    [Fact]
    public void Gradient_clipping_bounds_the_norm_and_the_pre_clip_norm_is_recorded()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        var clippedNorms = new List<double>();
        var measure = new Probe(order: TrainerCallback.Orders.Gradients + 1)
        {
            OnAfterBackward = t => clippedNorms.Add(Math.Sqrt(t.Model.parameters().Sum(p => p.grad!.pow(2).sum().item<float>()))),
        };
        using var trainer = new Trainer(
            model, TrainingFixtures.Batches(train, 16), null, TrainingFixtures.Options(epochs: 2) with { GradientClipNorm = 1e-3 }, [measure]);

        FitResult result = trainer.Fit();

        Assert.All(clippedNorms, n => Assert.True(n <= 1e-3 * 1.001, $"norm {n} after clipping to 1e-3"));
        Assert.All(result.History.Epochs, e => Assert.True(e.GradientNorm > 1e-3, $"recorded {e.GradientNorm}"));
        Assert.Contains("grad norm", result.Last.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Gradient_norm_is_not_recorded_unless_asked_and_tracking_does_not_clip()
    {
        using TinyCnn plain = TinyCnn.Create(seed: 7);
        using TinyCnn tracked = TinyCnn.Create(seed: 7);

        FitResult withoutTracking = Trainer.Fit(plain, TrainingFixtures.Batches(train, 16), null, TrainingFixtures.Options());
        FitResult withTracking = Trainer.Fit(tracked, TrainingFixtures.Batches(train, 16), null, TrainingFixtures.Options() with { TrackGradientNorm = true });

        Assert.Null(withoutTracking.Last.GradientNorm);
        Assert.True(withTracking.Last.GradientNorm > 0);
        Assert.Equal(TrainingFixtures.Weights(plain), TrainingFixtures.Weights(tracked));
    }

    [Fact]
    public void The_schedule_sets_the_learning_rate_per_epoch_or_per_batch()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        var perBatch = new List<double>();
        var probe = new Probe { OnAfterLoss = t => { if (t.Batch.IsTraining) { perBatch.Add(t.LearningRate); } } };
        FitOptions options = TrainingFixtures.Options(epochs: 3) with { Optimizer = new SgdSettings { LearningRate = 0.1 }, Schedule = new ExponentialSchedule() };
        using (var trainer = new Trainer(model, TrainingFixtures.Batches(train, 32), null, options, [probe]))
        {
            FitResult result = trainer.Fit();
            Assert.Equal(new[] { 0.1, 0.1 * 0.96, 0.1 * 0.96 * 0.96 }, result.History.Epochs.Select(e => e.LearningRate), new Tolerance(1e-12));
        }

        Assert.Equal(new[] { 0.1, 0.1, 0.096, 0.096, 0.09216, 0.09216 }, perBatch, new Tolerance(1e-12));

        perBatch.Clear();
        using var trainer2 = new Trainer(model, TrainingFixtures.Batches(train, 32), null, options with { Schedule = new CosineSchedule() }, [probe]);
        trainer2.Fit();
        Assert.Equal(6, perBatch.Distinct().Count());
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
