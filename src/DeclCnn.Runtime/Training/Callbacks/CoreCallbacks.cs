using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training.Callbacks;

/// <summary>Puts the model in training mode for the training batches and in evaluation mode for validation and after the fit.</summary>
public sealed class TrainEvalCallback : TrainerCallback
{
    /// <inheritdoc/>
    public override int Order => Orders.TrainEval;

    /// <inheritdoc/>
    public override void BeforeEpoch(Trainer trainer) => trainer.Model.train();

    /// <inheritdoc/>
    public override void BeforeValidation(Trainer trainer) => trainer.Model.eval();

    /// <inheritdoc/>
    public override void AfterFit(Trainer trainer) => trainer.Model.eval();
}

/// <summary>
/// Stops the run with a <see cref="NonFiniteLossException"/> when a training loss is NaN or infinite: naming the batch,
/// before the step that would spread it into the weights; or, with <see cref="FitOptions.CheckLossEveryStep"/> false,
/// at the end of the training pass (the losses are counted on the device), before validation and checkpoints.
/// </summary>
public sealed class NonFiniteLossGuard : TrainerCallback, IDisposable
{
    private Tensor? nonFiniteSteps;

    /// <inheritdoc/>
    public override int Order => Orders.LossGuard;

    /// <inheritdoc/>
    public override void AfterLoss(Trainer trainer)
    {
        if (!trainer.Batch.IsTraining)
        {
            return;
        }

        if (!trainer.Options.CheckLossEveryStep)
        {
            using var noGrad = no_grad();
            nonFiniteSteps ??= zeros(1, ScalarType.Int64, trainer.Batch.Loss!.device).DetachFromDisposeScope();
            nonFiniteSteps.add_(isfinite(trainer.Batch.Loss!).logical_not());
            return;
        }

        if (!double.IsFinite(trainer.Batch.LossValue))
        {
            throw new NonFiniteLossException(string.Create(
                CultureInfo.InvariantCulture,
                $"The training loss is {trainer.Batch.LossValue} in epoch {trainer.Epoch}, batch {trainer.Batch.Index + 1} of {trainer.TrainBatches.BatchCount} (step {trainer.StepCount + 1}, learning rate {trainer.LearningRate:G4}); the run stopped before that step. {Kept(trainer)} Lower the learning rate, clip gradients (GradientClipNorm), or check that batch's images for NaN or infinite values."));
        }
    }

    /// <summary>Starts the count afresh: a fit cancelled in the middle of an epoch may have left one.</summary>
    /// <param name="trainer">The trainer.</param>
    public override void BeforeEpoch(Trainer trainer)
    {
        nonFiniteSteps?.Dispose();
        nonFiniteSteps = null;
    }

    /// <inheritdoc/>
    public override void BeforeValidation(Trainer trainer) => ThrowIfTrainingPassHadNonFiniteLosses(trainer);

    /// <inheritdoc/>
    public override void AfterEpoch(Trainer trainer) => ThrowIfTrainingPassHadNonFiniteLosses(trainer);

    /// <summary>Frees the device-side count.</summary>
    public void Dispose() => nonFiniteSteps?.Dispose();

    private void ThrowIfTrainingPassHadNonFiniteLosses(Trainer trainer)
    {
        if (nonFiniteSteps is null)
        {
            return;
        }

        long steps;
        using (NewDisposeScope())
        {
            steps = nonFiniteSteps.cpu().item<long>();
        }

        nonFiniteSteps.Dispose();
        nonFiniteSteps = null;
        if (steps > 0)
        {
            throw new NonFiniteLossException(string.Create(
                CultureInfo.InvariantCulture,
                $"{steps} training loss(es) of epoch {trainer.Epoch} were NaN or infinite. FitOptions.CheckLossEveryStep is false, so this is checked once per training pass and the epoch's remaining steps ran: the weights may not be finite. {Kept(trainer)} Lower the learning rate, clip gradients (GradientClipNorm), or check the images for NaN or infinite values; set CheckLossEveryStep to true to stop at the first such batch."));
        }
    }

    private static string Kept(Trainer trainer) =>
        trainer.Callbacks.OfType<CheckpointCallback>().FirstOrDefault()?.GoodPath is { } checkpoint
            ? $"The last good checkpoint (finite weights and losses), '{checkpoint}', is kept."
            : "No checkpoint with finite weights and losses was written in this run.";
}

/// <summary>Sets the learning rate from <see cref="Trainer.Scheduler"/>: before every epoch, and before every batch for per-batch schedules; feeds each epoch's record to it.</summary>
public sealed class ScheduleCallback : TrainerCallback
{
    /// <inheritdoc/>
    public override int Order => Orders.Schedule;

    /// <inheritdoc/>
    public override void BeforeEpoch(Trainer trainer) => trainer.LearningRate = trainer.Scheduler.LearningRate(trainer.Epoch - 1, 0);

    /// <inheritdoc/>
    public override void BeforeBatch(Trainer trainer)
    {
        if (trainer.Batch.IsTraining && trainer.Options.Schedule.Interval == ScheduleInterval.Batch)
        {
            trainer.LearningRate = trainer.Scheduler.LearningRate(trainer.Epoch - 1, trainer.Batch.Index);
        }
    }

    /// <inheritdoc/>
    public override void AfterEpoch(Trainer trainer)
    {
        if (trainer.History.Last is { } record && record.Epoch == trainer.Epoch)
        {
            trainer.Scheduler.EndEpoch(record);
        }
    }
}

/// <summary>Measures the global L2 norm of the gradients after each backward pass and, with a maximum, clips it; logs the epoch's mean as <c>grad_norm</c>.</summary>
/// <param name="maxNorm">The clipping threshold, or null to measure only.</param>
public sealed class GradientNormCallback(double? maxNorm) : TrainerCallback
{
    private double sum;
    private long count;

    /// <inheritdoc/>
    public override int Order => Orders.Gradients;

    /// <inheritdoc/>
    public override void BeforeEpoch(Trainer trainer)
    {
        sum = 0;
        count = 0;
    }

    /// <inheritdoc/>
    public override void AfterBackward(Trainer trainer)
    {
        sum += nn.utils.clip_grad_norm_(trainer.Model.parameters(), maxNorm ?? double.PositiveInfinity);
        count++;
    }

    /// <inheritdoc/>
    public override void AfterEpoch(Trainer trainer)
    {
        if (count > 0)
        {
            trainer.Log("grad_norm", sum / count);
        }
    }
}

/// <summary>
/// Accumulates loss, top-1/top-5 and the confusion matrix of the training and validation batches, and in AfterEpoch
/// appends the epoch's <see cref="EpochRecord"/> to <see cref="Trainer.History"/>; a cancelled epoch leaves no record.
/// </summary>
public sealed class MetricsCallback : TrainerCallback, IDisposable
{
    private readonly Stopwatch epochClock = new();
    private readonly Stopwatch trainClock = new();
    private MetricAccumulator? train;
    private MetricAccumulator? validation;
    private ClassificationMetrics? validationResult;
    private double learningRate;
    private bool epochCancelled;

    /// <inheritdoc/>
    public override int Order => Orders.Metrics;

    /// <inheritdoc/>
    public override void BeforeEpoch(Trainer trainer)
    {
        epochCancelled = false;
        Reset(ref train);
        validationResult = null;
        epochClock.Restart();
        trainClock.Restart();
    }

    /// <inheritdoc/>
    public override void BeforeValidation(Trainer trainer)
    {
        trainClock.Stop();
        Reset(ref validation);
    }

    /// <inheritdoc/>
    public override void AfterBatch(Trainer trainer)
    {
        Tensor logits = trainer.Batch.Logits!;
        if (trainer.Batch.IsTraining)
        {
            learningRate = trainer.LearningRate;
        }

        ref MetricAccumulator? target = ref trainer.Batch.IsTraining ? ref train : ref validation;
        target ??= new MetricAccumulator((int)logits.shape[1], trainer.Options.TopK, logits.device);
        target.Add(logits, trainer.Batch.Labels!, trainer.Batch.Loss!);
    }

    /// <inheritdoc/>
    public override void AfterValidation(Trainer trainer) => validationResult = validation?.Result();

    /// <summary>The metrics of the last validation pass, or null when it saw no batch.</summary>
    internal ClassificationMetrics? ValidationResult => validationResult;

    /// <inheritdoc/>
    public override void EpochCancelled(Trainer trainer) => epochCancelled = true;

    /// <inheritdoc/>
    public override void AfterEpoch(Trainer trainer)
    {
        trainClock.Stop();
        var extra = trainer.TakeLoggedMetrics();
        if (epochCancelled)
        {
            // A cancelled epoch leaves no record: its metrics would cover only part of the data.
            return;
        }

        double? gradientNorm = extra.Remove("grad_norm", out double norm) ? norm : null;
        ClassificationMetrics trained = train?.Result() ?? throw new InvalidOperationException($"Epoch {trainer.Epoch} trained on no batch: the training source is empty.");
        trainer.History.Add(new EpochRecord(
            trainer.Epoch,
            learningRate,
            trained,
            validationResult,
            gradientNorm,
            trained.Images / Math.Max(trainClock.Elapsed.TotalSeconds, 1e-9),
            epochClock.Elapsed.TotalSeconds,
            extra));
    }

    /// <summary>Frees the accumulators' tensors.</summary>
    public void Dispose()
    {
        train?.Dispose();
        validation?.Dispose();
    }

    private static void Reset(ref MetricAccumulator? accumulator)
    {
        accumulator?.Dispose();
        accumulator = null;
    }
}

/// <summary>Writes each epoch's record as one line (<see cref="EpochRecord.ToString"/>), and the reason when a run stops early.</summary>
/// <param name="write">Receives the lines.</param>
public sealed class LogCallback(Action<string> write) : TrainerCallback
{
    /// <inheritdoc/>
    public override int Order => Orders.Reporting;

    /// <inheritdoc/>
    public override void AfterEpoch(Trainer trainer)
    {
        if (trainer.History.Last is { } record && record.Epoch == trainer.Epoch)
        {
            write(record.ToString());
        }
    }

    /// <inheritdoc/>
    public override void FitCancelled(Trainer trainer) => write($"stopped after epoch {trainer.History.Last?.Epoch ?? 0}: {trainer.StopReason}");
}

/// <summary>
/// Rewrites <c>history.csv</c> and <c>history.json</c> in a folder after every epoch (atomically), after the checkpoint,
/// so they never hold an epoch the checkpoint does not; at the start of a fit (after a resume: from the checkpoint's
/// history) it rewrites them and removes temporary files a killed write left. With validation data it also writes the
/// last epoch's <see cref="ClassReport"/> (<c>per_class.csv</c>, <c>confusion.csv</c>), with the class names of the
/// validation (or training) <see cref="BatchLoader"/>, or the class indices when the batches do not name them.
/// </summary>
/// <param name="directory">The folder.</param>
public sealed class HistoryFilesCallback(string directory) : TrainerCallback
{
    /// <inheritdoc/>
    public override int Order => Orders.HistoryFiles;

    /// <inheritdoc/>
    public override void BeforeFit(Trainer trainer)
    {
        foreach (string name in new[] { TrainingHistory.CsvFileName, TrainingHistory.JsonFileName, ClassReport.PerClassFileName, ClassReport.ConfusionFileName })
        {
            AtomicFile.DeleteStale(Path.Combine(directory, name));
        }

        Save(trainer);
    }

    /// <inheritdoc/>
    public override void AfterEpoch(Trainer trainer) => Save(trainer);

    /// <summary>Writes the epoch a cancel ended before this callback saw it (after the checkpoint, which does the same).</summary>
    /// <param name="trainer">The trainer.</param>
    public override void FitCancelled(Trainer trainer) => Save(trainer);

    private void Save(Trainer trainer)
    {
        trainer.History.Save(directory);
        if (trainer.History.Last?.Validation is { } validation)
        {
            IReadOnlyList<string> names = (trainer.ValidationBatches ?? trainer.TrainBatches) is BatchLoader loader && loader.Info.ClassNames.Count == validation.PerClassAccuracy.Count
                ? loader.Info.ClassNames
                : [.. Enumerable.Range(0, validation.PerClassAccuracy.Count).Select(static c => c.ToString(CultureInfo.InvariantCulture))];
            ClassReport.Save(directory, names, validation);
        }
    }
}
