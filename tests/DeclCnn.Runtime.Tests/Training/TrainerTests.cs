using System;
using System.Collections.Generic;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Training;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly ImageDataset train = TrainingFixtures.Bars(64, seed: 1);
    private readonly ImageDataset test = TrainingFixtures.Bars(32, seed: 2);

    public void Dispose()
    {
        train.Dispose();
        test.Dispose();
    }

    [Fact]
    public void Loss_decreases_and_the_model_learns_a_separable_task()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);

        FitResult result = Trainer.Fit(model, TrainingFixtures.Batches(train, 16), TrainingFixtures.Batches(test, 16, shuffle: false), TrainingFixtures.Options(epochs: 8));

        Assert.Equal(Enumerable.Range(1, 8), result.History.Epochs.Select(e => e.Epoch));
        Assert.True(result.Last.Train.Loss < result.History.Epochs[0].Train.Loss / 2, string.Join("; ", result.History.Epochs));
        Assert.True(result.Last.Validation!.Top1 >= 0.9, string.Join("; ", result.History.Epochs));
        Assert.All(result.History.Epochs, e => Assert.True(e.ImagesPerSecond > 0 && e.Seconds > 0 && e.Train.Images == 64 && e.Validation!.Images == 32));
        Assert.Null(result.StopReason);
        Assert.False(model.training);
    }

    [Fact]
    public void Same_seed_gives_the_same_history()
    {
        double[] Losses()
        {
            using TinyCnn model = TinyCnn.Create(seed: 7, dropout: 0.3);
            return Trainer.Fit(model, TrainingFixtures.Batches(train, 16), TrainingFixtures.Batches(test, 16, shuffle: false), TrainingFixtures.Options(epochs: 2))
                .History.Epochs.Select(e => e.Train.Loss).ToArray();
        }

        Assert.Equal(Losses(), Losses());
    }

    [Fact]
    public void Writes_one_log_line_per_epoch()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        var lines = new List<string>();

        Trainer.Fit(model, TrainingFixtures.Batches(train, 16), TrainingFixtures.Batches(test, 16, shuffle: false), TrainingFixtures.Options(epochs: 2), lines.Add);

        Assert.Equal(2, lines.Count);
        Assert.StartsWith("epoch 2: loss ", lines[1], StringComparison.Ordinal);
        Assert.Contains("val loss", lines[1], StringComparison.Ordinal);
        Assert.Contains("images/s", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_counts_correct_predictions()
    {
        using var alwaysZero = new ConstantClassifier();
        var batches = TrainingFixtures.Batches(test, 5, shuffle: false);

        ClassificationMetrics metrics = Trainer.Evaluate(alwaysZero, batches);

        long zeros = test.Labels.eq(0).sum().item<long>();
        Assert.Equal((double)zeros / test.Count, metrics.Top1, 10);
        Assert.Null(metrics.TopK);
        Assert.Equal(new[] { 1.0, 0.0 }, metrics.PerClassAccuracy);
        Assert.Equal(new long[] { zeros, 0 }, metrics.ConfusionMatrix[0]);
        Assert.Equal(new long[] { test.Count - zeros, 0 }, metrics.ConfusionMatrix[1]);
    }

    [Fact]
    public void Events_nest_as_documented_and_callbacks_run_in_order()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        var late = new Recorder("late:", order: 200);
        var early = new Recorder("early:", order: -5);
        using var trainer = new Trainer(
            model, TrainingFixtures.Batches(train, 32), TrainingFixtures.Batches(test, 32, shuffle: false), TrainingFixtures.Options(), [late, early]);

        trainer.Fit();

        Assert.Equal(
            new[]
            {
                "BeforeFit", "BeforeEpoch1",
                "T0:Before", "T0:Loss", "T0:Backward", "T0:Step", "T0:After",
                "T1:Before", "T1:Loss", "T1:Backward", "T1:Step", "T1:After",
                "BeforeValidation", "V0:Before", "V0:Loss", "V0:After", "AfterValidation",
                "AfterEpoch1", "AfterFit",
            },
            early.Events.Select(e => e["early:".Length..]));
        Assert.Equal(early.Events.Select(e => e["early:".Length..]), late.Events.Select(e => e["late:".Length..]));
        int[] orders = trainer.Callbacks.Select(c => c.Order).ToArray();
        Assert.Equal(orders.Order(), orders);
        Assert.Same(early, trainer.Callbacks[0]);
        Assert.Same(late, trainer.Callbacks[^1]);
    }

    [Fact]
    public void CancelBatch_skips_the_step_and_raises_BatchCancelled_then_AfterBatch()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        var recorder = new Recorder();
        var cancel = new Probe(order: -1) { OnAfterLoss = t => { if (t.Batch.IsTraining && t.Batch.Index == 0) { throw new CancelBatchException(); } } };
        using var trainer = new Trainer(model, TrainingFixtures.Batches(train, 32), null, TrainingFixtures.Options(), [cancel, recorder]);

        trainer.Fit();

        Assert.Equal(1, trainer.StepCount);
        Assert.Equal(new[] { "T0:Before", "T0:Cancelled", "T0:After", "T1:Before" }, recorder.Events.Skip(2).Take(4));
    }

    [Fact]
    public void CancelEpoch_ends_the_epoch_and_the_next_one_runs()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        var recorder = new Recorder();
        var cancel = new Probe(order: -1) { OnBeforeBatch = t => { if (t.Epoch == 1) { throw new CancelEpochException(); } } };
        using var trainer = new Trainer(model, TrainingFixtures.Batches(train, 32), TrainingFixtures.Batches(test, 32), TrainingFixtures.Options(epochs: 2), [cancel, recorder]);

        trainer.Fit();

        Assert.Equal(new[] { "BeforeFit", "BeforeEpoch1", "EpochCancelled1", "AfterEpoch1", "BeforeEpoch2" }, recorder.Events.Take(5));
        Assert.Equal(2, trainer.StepCount);
        Assert.Equal(new[] { 2 }, trainer.History.Epochs.Select(e => e.Epoch));
    }

    [Fact]
    public void CancelValidation_skips_the_rest_of_validation_only()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        var recorder = new Recorder();
        var cancel = new Probe(order: -1) { OnBeforeValidation = _ => throw new CancelValidationException() };
        using var trainer = new Trainer(model, TrainingFixtures.Batches(train, 32), TrainingFixtures.Batches(test, 32), TrainingFixtures.Options(), [cancel, recorder]);

        trainer.Fit();

        Assert.Contains("ValidationCancelled", recorder.Events);
        Assert.DoesNotContain("V0:Before", recorder.Events);
        Assert.Equal(new[] { "ValidationCancelled", "AfterValidation", "AfterEpoch1", "AfterFit" }, recorder.Events.TakeLast(4));
        Assert.Null(trainer.History.Last!.Validation);
    }

    [Fact]
    public void CancelFit_stops_after_the_epoch_and_still_raises_AfterFit()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        var recorder = new Recorder(order: 300);
        var stop = new Probe(order: 250) { OnAfterEpoch = t => { if (t.Epoch == 2) { throw new CancelFitException("enough"); } } };
        using var trainer = new Trainer(model, TrainingFixtures.Batches(train, 32), null, TrainingFixtures.Options(epochs: 5), [stop, recorder]);

        FitResult result = trainer.Fit();

        Assert.Equal("enough", result.StopReason);
        Assert.Equal(2, result.History.Epochs.Count);
        Assert.Equal(new[] { "AfterEpoch1", "BeforeEpoch2" }, recorder.Events.SkipWhile(e => e != "AfterEpoch1").Take(2));
        Assert.Equal(new[] { "FitCancelled", "AfterFit" }, recorder.Events.TakeLast(2));
        Assert.DoesNotContain("AfterEpoch2", recorder.Events);
    }

    [Fact]
    public void Other_exceptions_end_the_fit_without_AfterFit()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        var recorder = new Recorder();
        var fail = new Probe(order: -1) { OnAfterBatch = _ => throw new InvalidOperationException("boom") };
        using var trainer = new Trainer(model, TrainingFixtures.Batches(train, 32), null, TrainingFixtures.Options(), [fail, recorder]);

        Assert.Equal("boom", Assert.Throws<InvalidOperationException>(() => trainer.Fit()).Message);
        Assert.DoesNotContain("AfterFit", recorder.Events);
    }

    [Fact]
    public void Out_of_memory_errors_name_the_batch_and_a_smaller_batch_size()
    {
        using var model = new FailingClassifier(new InvalidOperationException("CUDA out of memory. Tried to allocate 2.00 GiB"));
        using var trainer = new Trainer(model, TrainingFixtures.Batches(train, 16), null, TrainingFixtures.Options());

        var error = Assert.Throws<TrainingOutOfMemoryException>(() => trainer.Fit());

        Assert.Contains("epoch 1, training batch 1 of 4 (16 images)", error.Message, StringComparison.Ordinal);
        Assert.Contains("batch size of 8", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public void Label_smoothing_is_applied_to_the_loss()
    {
        using var model = new ConstantClassifier();
        var batches = TrainingFixtures.Batches(test, 8, shuffle: false);
        const double Epsilon = 0.2;

        double plain = Trainer.Evaluate(model, batches).Loss;
        double smoothed = Trainer.Evaluate(model, batches, new FitOptions { LabelSmoothing = Epsilon }).Loss;

        // Logits (1, 0): log-probabilities a = log(e/(e+1)) and b = log(1/(e+1)); a smoothed target puts
        // 1 - eps + eps/2 on the label and eps/2 on the other class.
        double a = Math.Log(Math.E / (Math.E + 1));
        double b = Math.Log(1 / (Math.E + 1));
        double zeros = test.Labels.eq(0).sum().item<long>() / (double)test.Count;
        double expectedPlain = -(zeros * a + (1 - zeros) * b);
        double expectedSmoothed = (1 - Epsilon) * expectedPlain - Epsilon * (a + b) / 2;
        Assert.Equal(expectedPlain, plain, 5);
        Assert.Equal(expectedSmoothed, smoothed, 5);
    }

    [Fact]
    public void A_loss_function_or_a_loss_module_replaces_the_default_cross_entropy()
    {
        using var constant = new ConstantClassifier();
        var batches = TrainingFixtures.Batches(test, 8, shuffle: false);
        using var lossModule = nn.NLLLoss(weight: tensor(new float[] { 1, 3 }));

        double plain = Trainer.Evaluate(constant, batches).Loss;
        double tripled = Trainer.Evaluate(constant, batches, new FitOptions { Loss = (logits, labels) => nn.functional.cross_entropy(logits, labels) * 3 }).Loss;
        double byModule = Trainer.Evaluate(constant, batches, new FitOptions { Loss = (logits, labels) => lossModule.call(nn.functional.log_softmax(logits, 1), labels) }).Loss;

        // Logits (1, 0): class 0 costs -log(e/(e+1)), class 1 costs -log(1/(e+1)) with weight 3; the weighted mean divides by the weights.
        double zeros = test.Labels.eq(0).sum().item<long>();
        double ones = test.Count - zeros;
        double expectedWeighted = (zeros * -Math.Log(Math.E / (Math.E + 1)) + 3 * ones * -Math.Log(1 / (Math.E + 1))) / (zeros + 3 * ones);
        Assert.Equal(3 * plain, tripled, tolerance: 1e-5);
        Assert.Equal(expectedWeighted, byModule, tolerance: 1e-5);

        // Training backpropagates through a loss module called directly: CrossEntropyLoss trains exactly as the default.
        using var crossEntropy = nn.CrossEntropyLoss();
        using TinyCnn builtIn = TinyCnn.Create(seed: 7);
        using TinyCnn custom = TinyCnn.Create(seed: 7);
        FitResult expected = Trainer.Fit(builtIn, TrainingFixtures.Batches(train, 16), null, TrainingFixtures.Options(epochs: 2));
        FitResult actual = Trainer.Fit(custom, TrainingFixtures.Batches(train, 16), null, TrainingFixtures.Options(epochs: 2) with { Loss = crossEntropy.call });
        Assert.Equal(expected.History.Epochs.Select(e => e.Train.Loss), actual.History.Epochs.Select(e => e.Train.Loss));
        Assert.Equal(TrainingFixtures.Weights(builtIn), TrainingFixtures.Weights(custom));
    }

    [Fact]
    public void Label_smoothing_with_a_custom_loss_is_refused()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);

        var error = Assert.Throws<ArgumentException>(() =>
            new Trainer(model, TrainingFixtures.Batches(train, 16), options: new FitOptions { LabelSmoothing = 0.1, Loss = (l, y) => nn.functional.cross_entropy(l, y) }));

        Assert.Contains("LabelSmoothing", error.Message, StringComparison.Ordinal);
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

    /// <summary>Throws the given exception from forward.</summary>
    private sealed class FailingClassifier : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear fc;
        private readonly Exception error;

        public FailingClassifier(Exception error) : base(nameof(FailingClassifier))
        {
            this.error = error;
            fc = nn.Linear(1, 2);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => throw error;

        protected override void Dispose(bool disposing)
        {
            fc.Dispose();
            base.Dispose(disposing);
        }
    }
}
