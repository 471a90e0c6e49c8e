using System;
using System.Collections.Generic;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Training.Callbacks;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training;

/// <summary>
/// Trains an image classifier (any <c>Module&lt;Tensor, Tensor&gt;</c> producing logits). The loop is three small
/// methods — <see cref="Fit()"/>, one epoch, one batch — each wrapped by one helper that raises the before/after events
/// on the <see cref="Callbacks"/>; metrics, the schedule, clipping, checkpoints, early stopping and reporting are
/// callbacks themselves. Every batch runs inside its own TorchSharp dispose scope.
/// </summary>
/// <remarks>
/// The trainer owns its optimizer (dispose the trainer), not the model or the data. It trains on the device its
/// training batches come on (<see cref="IBatchSource.Device"/>) and moves the model there. What callbacks read —
/// <see cref="Epoch"/>, <see cref="Batch"/> and so on — is valid during the events that concern it; batch tensors die
/// with the batch's scope.
/// </remarks>
public sealed class Trainer : IDisposable
{
    private readonly List<TrainerCallback> callbacks;
    private readonly MetricsCallback metrics = new();
    private readonly Dictionary<string, double> pendingMetrics = new(StringComparer.Ordinal);
    private readonly Func<Tensor, Tensor, Tensor> loss;
    private readonly DevicePlan plan;
    private byte[]? resumedRngState;

    /// <summary>Creates a trainer: moves the model to the training batches' device and creates the optimizer and scheduler.</summary>
    /// <param name="model">The classifier; its output is (batch, classes) logits.</param>
    /// <param name="train">The training batches (shuffled by epoch number); their device is the training device.</param>
    /// <param name="validation">Validation batches evaluated after every epoch, or null.</param>
    /// <param name="options">The loop's settings; null takes the defaults.</param>
    /// <param name="callbacks">Callbacks added to the built-in ones.</param>
    /// <exception cref="ArgumentException">An option is out of its range, or two stateful callbacks share a key.</exception>
    /// <exception cref="TrainingDeviceException">An option cannot be used on the training device.</exception>
    public Trainer(
        nn.Module<Tensor, Tensor> model,
        IBatchSource train,
        IBatchSource? validation = null,
        FitOptions? options = null,
        IEnumerable<TrainerCallback>? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        Options = options ?? new FitOptions();
        Options.Validate();
        Model = model;
        TrainBatches = train;
        ValidationBatches = validation;
        plan = DevicePlan.For(train.Device, Options);
        Model.to(plan.Device);
        if (plan.ChannelsLast)
        {
            ChannelsLast.ConvertParameters(Model);
        }

        double labelSmoothing = Options.LabelSmoothing;
        loss = Options.Loss ?? ((logits, labels) => nn.functional.cross_entropy(logits, labels, label_smoothing: labelSmoothing));
        // Frozen parameters (Transfer.Freezing) stay out of the optimizer: no update, no weight decay, no state.
        Optimizer = Options.Optimizer.Create(Model.parameters().Where(static p => p.requires_grad).ToList());
        Scheduler = Options.Schedule.Start(Options.Optimizer.LearningRate, Options.Epochs, train.BatchCount);
        this.callbacks = [.. BuiltInCallbacks().Concat(callbacks ?? []).OrderBy(c => c.Order)];
        string[] duplicateKeys = this.callbacks.OfType<IStatefulCallback>().GroupBy(c => c.StateKey).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (duplicateKeys.Length > 0)
        {
            throw new ArgumentException($"Two stateful callbacks share the state key(s) {string.Join(", ", duplicateKeys)}.", nameof(callbacks));
        }

        // A checkpoint captures the stateful callbacks' state when it is written: one that had not seen the epoch yet
        // (it runs after early stopping, whose cancel ends the epoch's events) would be stored as it was an epoch before.
        if (this.callbacks.FirstOrDefault(c => c is IStatefulCallback and not EarlyStoppingCallback and not CheckpointCallback && c.Order >= TrainerCallback.Orders.EarlyStopping) is { } late)
        {
            throw new ArgumentException(
                $"{late.GetType().Name} keeps state across a resume (IStatefulCallback), so it must run before early stopping and the checkpoint: give it an order below {TrainerCallback.Orders.EarlyStopping} (it has {late.Order}).",
                nameof(callbacks));
        }
    }

    /// <summary>The model being trained.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    /// <summary>The optimizer, created from <see cref="FitOptions.Optimizer"/> over the parameters that require gradients (the unfrozen ones).</summary>
    public optim.Optimizer Optimizer { get; }

    /// <summary>The scheduler, created from <see cref="FitOptions.Schedule"/>.</summary>
    public ILearningRateScheduler Scheduler { get; }

    /// <summary>The loop's settings.</summary>
    public FitOptions Options { get; }

    /// <summary>The callbacks, built-in and added, in the order they run.</summary>
    public IReadOnlyList<TrainerCallback> Callbacks => callbacks;

    /// <summary>The training batches.</summary>
    public IBatchSource TrainBatches { get; }

    /// <summary>The validation batches, or null.</summary>
    public IBatchSource? ValidationBatches { get; }

    /// <summary>The records of the finished epochs (restored ones included after <see cref="Resume"/>).</summary>
    public TrainingHistory History { get; private set; } = new();

    /// <summary>The current epoch, from 1; during <see cref="Fit()"/>, the epoch running.</summary>
    public int Epoch { get; private set; }

    /// <summary>The first epoch <see cref="Fit()"/> runs: 1, or the epoch after the checkpoint a run resumed from.</summary>
    public int StartEpoch { get; private set; } = 1;

    /// <summary>Optimizer steps taken so far in the run.</summary>
    public long StepCount { get; private set; }

    /// <summary>The batch being worked on, training or validation.</summary>
    public BatchState Batch { get; } = new();

    /// <summary>Why the last <see cref="Fit()"/> ended early (a <see cref="CancelFitException"/>'s message), or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>The learning rate of the optimizer's first parameter group; setting it sets every group.</summary>
    public double LearningRate
    {
        get => Optimizer.ParamGroups.First().LearningRate;
        set
        {
            foreach (var group in Optimizer.ParamGroups)
            {
                group.LearningRate = value;
            }
        }
    }

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/> for <see cref="FitOptions.Epochs"/> epochs and
    /// evaluates it on <paramref name="validation"/> after each, writing one line per epoch to <paramref name="log"/>.
    /// The model is left on the training device, in evaluation mode.
    /// </summary>
    /// <param name="model">The classifier.</param>
    /// <param name="train">The training batches (a <see cref="BatchLoader"/>: batch size, order, seed and device are its options).</param>
    /// <param name="validation">The batches evaluated after each epoch (e.g. the test set), or null.</param>
    /// <param name="options">The loop's settings; null takes the defaults.</param>
    /// <param name="log">Receives one line per epoch, or null.</param>
    /// <returns>The history and why the run stopped.</returns>
    public static FitResult Fit(
        nn.Module<Tensor, Tensor> model,
        IBatchSource train,
        IBatchSource? validation,
        FitOptions? options = null,
        Action<string>? log = null)
    {
        using var trainer = new Trainer(model, train, validation, options, log is null ? [] : [new LogCallback(log)]);
        return trainer.Fit();
    }

    /// <summary>
    /// Loss and accuracy of <paramref name="model"/> on <paramref name="batches"/>: the validation pass of a trainer,
    /// in evaluation mode, without gradients, each batch in its own dispose scope. The model is moved to the batches' device.
    /// </summary>
    /// <param name="model">The classifier.</param>
    /// <param name="batches">The data.</param>
    /// <param name="options">The loss (<see cref="FitOptions.Loss"/>, <see cref="FitOptions.LabelSmoothing"/>); null is plain cross-entropy.</param>
    /// <returns>Loss, top-1/top-5, per-class accuracy and the confusion matrix.</returns>
    /// <exception cref="InvalidOperationException">The batch source yielded no batches.</exception>
    public static ClassificationMetrics Evaluate(nn.Module<Tensor, Tensor> model, IBatchSource batches, FitOptions? options = null)
    {
        using var trainer = new Trainer(model, batches, batches, options);
        return trainer.Evaluate();
    }

    /// <summary>
    /// Runs the epochs from <see cref="StartEpoch"/> to <see cref="FitOptions.Epochs"/>. Seeds torch with
    /// <see cref="FitOptions.Seed"/> first, or, after <see cref="Resume"/>, restores the generator state of the checkpoint.
    /// </summary>
    /// <returns>The history and, when a callback ended the run early, why.</returns>
    /// <exception cref="InvalidOperationException">Every parameter of the model is frozen.</exception>
    /// <exception cref="NonFiniteLossException">A training loss was NaN or infinite.</exception>
    /// <exception cref="TrainingOutOfMemoryException">The device ran out of memory.</exception>
    public FitResult Fit()
    {
        if (!Optimizer.parameters().Any())
        {
            throw new InvalidOperationException($"Every parameter of {Model.GetName()} is frozen, so there is nothing to train: unfreeze some layers (Freezing.Unfreeze) before creating the trainer.");
        }

        SeedGenerator();
        StopReason = null;
        try
        {
            WithEvents<CancelFitException>(
                () =>
                {
                    ThrowIfFinished();
                    for (Epoch = StartEpoch; Epoch <= Options.Epochs; Epoch++)
                    {
                        WithEvents<CancelEpochException>(RunEpoch, static (c, t) => c.BeforeEpoch(t), static (c, t, _) => c.EpochCancelled(t), static (c, t) => c.AfterEpoch(t));
                    }
                },
                static (c, t) => c.BeforeFit(t),
                static (c, t, e) =>
                {
                    t.StopReason = e.Message;
                    c.FitCancelled(t);
                },
                static (c, t) => c.AfterFit(t));
        }
        catch (Exception e) when (TrainingErrors.Translate(this, e) is { } translated)
        {
            throw translated;
        }

        StartEpoch = History.Epochs.Count + 1;
        return new FitResult(History, StopReason);
    }

    /// <summary>Runs the validation pass alone (with its events) and returns its metrics.</summary>
    /// <returns>The validation metrics.</returns>
    /// <exception cref="InvalidOperationException">The trainer has no validation batches, or they yielded none.</exception>
    public ClassificationMetrics Evaluate()
    {
        if (ValidationBatches is null)
        {
            throw new InvalidOperationException("The trainer has no validation batches.");
        }

        Validate();
        return metrics.ValidationResult ?? throw new InvalidOperationException("The validation source yielded no batches.");
    }

    /// <summary>
    /// Restores a checkpoint written by this kind of run (<see cref="Checkpoint"/>): model and optimizer state,
    /// scheduler and callback state, history, step count and torch's generator state; the next <see cref="Fit()"/>
    /// continues with the epoch after the checkpoint's.
    /// </summary>
    /// <param name="path">The checkpoint file, usually <c>last.ckpt</c>.</param>
    /// <exception cref="System.IO.InvalidDataException">The file is not a DeclCnn checkpoint.</exception>
    public void Resume(string path)
    {
        CheckpointState state = Checkpoint.Restore(path, Model, Optimizer);
        History = new TrainingHistory(state.History);
        StepCount = state.StepCount;
        StartEpoch = state.Epoch + 1;
        Epoch = state.Epoch;
        if (state.Scheduler is not null)
        {
            Scheduler.LoadState(state.Scheduler);
        }

        foreach (IStatefulCallback callback in callbacks.OfType<IStatefulCallback>())
        {
            if (state.Callbacks.TryGetValue(callback.StateKey, out var callbackState) && callbackState is not null)
            {
                callback.LoadState(callbackState);
            }
        }

        resumedRngState = state.RngState;
    }

    /// <summary>Adds a metric to the current epoch's record (<see cref="EpochRecord.Extra"/>); call it before the record is built in AfterEpoch.</summary>
    /// <param name="name">The metric's name (used as the CSV column).</param>
    /// <param name="value">Its value.</param>
    public void Log(string name, double value) => pendingMetrics[name] = value;

    /// <summary>Takes the metrics logged for the current epoch, leaving none.</summary>
    internal Dictionary<string, double> TakeLoggedMetrics()
    {
        var taken = new Dictionary<string, double>(pendingMetrics, StringComparer.Ordinal);
        pendingMetrics.Clear();
        return taken;
    }

    /// <summary>Disposes the optimizer and the callbacks that hold tensors (metrics, early stopping's copy of the best weights).</summary>
    public void Dispose()
    {
        foreach (IDisposable callback in callbacks.OfType<IDisposable>())
        {
            callback.Dispose();
        }

        Optimizer.Dispose();
    }

    private void RunEpoch()
    {
        RunPass(TrainBatches, training: true);
        if (ValidationBatches is not null)
        {
            Validate();
        }
    }

    private void Validate() => WithEvents<CancelValidationException>(
        () => RunPass(ValidationBatches!, training: false),
        static (c, t) => c.BeforeValidation(t),
        static (c, t, _) => c.ValidationCancelled(t),
        static (c, t) => c.AfterValidation(t));

    private void RunPass(IBatchSource source, bool training)
    {
        // Inference mode, not only no_grad: tensors made in it skip autograd's version counters and views' bookkeeping.
        using IDisposable? inference = training ? null : inference_mode();
        (Batch.IsTraining, Batch.Index) = (training, 0);
        foreach (Data.Batch batch in source.Epoch(Epoch))
        {
            using DisposeScope scope = NewDisposeScope();
            WithEvents<CancelBatchException>(() => RunBatch(batch), static (c, t) => c.BeforeBatch(t), static (c, t, _) => c.BatchCancelled(t), static (c, t) => c.AfterBatch(t));
            Batch.Clear();
            Batch.Index++;
        }
    }

    private void RunBatch(Data.Batch batch)
    {
        Batch.Size = batch.Count;
        Batch.Images = plan.ChannelsLast ? ChannelsLast.Convert(ToDevice(batch.Images)) : ToDevice(batch.Images);
        Batch.Labels = ToDevice(batch.Labels);
        Batch.Logits = Model.call(Batch.Images);
        Batch.Loss = loss(Batch.Logits, Batch.Labels);
        Raise(static (c, t) => c.AfterLoss(t));
        if (Batch.IsTraining)
        {
            if (Options.SetGradientsToNone)
            {
                Model.zero_grad(set_to_none: true);
            }
            else
            {
                Optimizer.zero_grad();
            }

            Batch.Loss.backward();
            Raise(static (c, t) => c.AfterBackward(t));
            Optimizer.step();
            StepCount++;
            Raise(static (c, t) => c.AfterStep(t));
        }
    }

    /// <summary>
    /// The one helper around every level of the loop: raises the before event, runs <paramref name="body"/>, turns a
    /// <typeparamref name="TCancel"/> into the cancelled event, and raises the after event.
    /// </summary>
    private void WithEvents<TCancel>(
        Action body,
        Action<TrainerCallback, Trainer> before,
        Action<TrainerCallback, Trainer, TCancel> cancelled,
        Action<TrainerCallback, Trainer> after)
        where TCancel : CancelTrainingException
    {
        try
        {
            Raise(before);
            body();
        }
        catch (TCancel cancel)
        {
            callbacks.ForEach(callback => cancelled(callback, this, cancel));
        }

        Raise(after);
    }

    private void Raise(Action<TrainerCallback, Trainer> handler) => callbacks.ForEach(callback => handler(callback, this));

    private void ThrowIfFinished()
    {
        if (StartEpoch > Options.Epochs)
        {
            throw new CancelFitException(
                $"the run already finished its {Options.Epochs} epochs (FitOptions.Epochs). To train further, create the trainer with a larger Epochs and resume from its last checkpoint.");
        }
    }

    private void SeedGenerator()
    {
        if (resumedRngState is null)
        {
            manual_seed(unchecked((long)Options.Seed));
            return;
        }

        using Tensor state = tensor(resumedRngState);
        set_rng_state(state);
        resumedRngState = null;
    }

    private IEnumerable<TrainerCallback> BuiltInCallbacks()
    {
        yield return new TrainEvalCallback();
        yield return new NonFiniteLossGuard();
        yield return metrics;
        yield return new ScheduleCallback();
        if (Options.GradientClipNorm is not null || Options.TrackGradientNorm)
        {
            yield return new GradientNormCallback(Options.GradientClipNorm);
        }

        // With early stopping, best.ckpt follows its monitor and delta, so the epoch it restores is the one best.ckpt holds.
        EarlyStoppingOptions? stopping = Options.EarlyStopping;
        string monitor = Options.CheckpointMonitor ?? stopping?.Monitor ?? (ValidationBatches is null ? "train_loss" : "val_loss");
        if (Options.OutputDirectory is string directory)
        {
            yield return new HistoryFilesCallback(directory);
            yield return new CheckpointCallback(directory, monitor, stopping?.Monitor == monitor ? stopping.MinDelta : 0);
        }

        if (stopping is not null)
        {
            yield return new EarlyStoppingCallback(stopping);
        }
    }

    private Tensor ToDevice(Tensor tensor) =>
        tensor.device_type == plan.Device.type && (plan.Device.type == DeviceType.CPU || tensor.device_index == plan.Device.index) ? tensor : tensor.to(plan.Device);
}
