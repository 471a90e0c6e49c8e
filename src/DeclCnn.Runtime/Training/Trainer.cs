using System;
using System.Collections.Generic;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Training.Callbacks;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training;

/// <summary>
/// Trains an image classifier (any <c>Module&lt;Tensor, Tensor&gt;</c> producing logits) with cross-entropy. The loop
/// is three small methods — <see cref="Fit()"/>, one epoch, one batch — each wrapped by one helper that raises the
/// before/after events on the <see cref="Callbacks"/>; metrics, the schedule, clipping, checkpoints, early stopping
/// and reporting are callbacks themselves. Every batch runs inside its own TorchSharp dispose scope.
/// </summary>
/// <remarks>
/// The trainer owns its optimizer (dispose the trainer), not the model or the data. State the callbacks read —
/// <see cref="Epoch"/>, <see cref="BatchIndex"/>, <see cref="Images"/>, <see cref="Logits"/>, <see cref="Loss"/>
/// and so on — is valid during the events that concern it; batch tensors die with the batch's scope.
/// </remarks>
public sealed class Trainer : IDisposable
{
    private readonly List<TrainerCallback> callbacks;
    private readonly Dictionary<string, double> pendingMetrics = new(StringComparer.Ordinal);
    private readonly Device device;
    private byte[]? resumedRngState;

    /// <summary>Creates a trainer: resolves the device, moves the model there and creates the optimizer and scheduler.</summary>
    /// <param name="model">The classifier; its output is (batch, classes) logits.</param>
    /// <param name="train">The training batches (shuffled by epoch number, on any device).</param>
    /// <param name="validation">Validation batches evaluated after every epoch, or null.</param>
    /// <param name="options">The run's settings; null takes the defaults.</param>
    /// <param name="callbacks">Callbacks added to the built-in ones.</param>
    /// <exception cref="TrainingDeviceException">The requested device cannot be used.</exception>
    public Trainer(
        nn.Module<Tensor, Tensor> model,
        IBatchSource train,
        IBatchSource? validation = null,
        FitOptions? options = null,
        IEnumerable<TrainerCallback>? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        TorchSharpNative.EnsureLoaded();
        Options = options ?? new FitOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.Epochs, nameof(options));
        if (!(Options.LabelSmoothing >= 0 && Options.LabelSmoothing < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.LabelSmoothing, "Label smoothing must be in [0, 1).");
        }

        Model = model;
        TrainBatches = train;
        ValidationBatches = validation;
        Plan = DevicePlan.Resolve(Options);
        device = Plan.CreateDevice();
        Model.to(device);
        if (Plan.ChannelsLast)
        {
            ChannelsLast.ConvertParameters(Model);
        }

        Optimizer = Options.Optimizer.Create(Model.parameters());
        BatchesPerEpoch = train.BatchCount;
        Scheduler = Options.Schedule.Start(Options.Optimizer.LearningRate, Options.Epochs, BatchesPerEpoch);
        this.callbacks = [.. BuiltInCallbacks(), .. callbacks ?? []];
        this.callbacks = [.. this.callbacks.OrderBy(c => c.Order)];
        string[] duplicateKeys = this.callbacks.OfType<IStatefulCallback>().GroupBy(c => c.StateKey).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (duplicateKeys.Length > 0)
        {
            throw new ArgumentException($"Two stateful callbacks share the state key(s) {string.Join(", ", duplicateKeys)}.", nameof(callbacks));
        }
    }

    /// <summary>The model being trained.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    /// <summary>The optimizer, created from <see cref="FitOptions.Optimizer"/>.</summary>
    public optim.Optimizer Optimizer { get; }

    /// <summary>The scheduler, created from <see cref="FitOptions.Schedule"/>.</summary>
    public ILearningRateScheduler Scheduler { get; }

    /// <summary>The run's settings.</summary>
    public FitOptions Options { get; }

    /// <summary>The device and the options in effect there.</summary>
    public DevicePlan Plan { get; }

    /// <summary>The callbacks, built-in and added, in the order they run.</summary>
    public IReadOnlyList<TrainerCallback> Callbacks => callbacks;

    /// <summary>The training batches.</summary>
    public IBatchSource TrainBatches { get; }

    /// <summary>The validation batches, or null.</summary>
    public IBatchSource? ValidationBatches { get; }

    /// <summary>Training batches per epoch.</summary>
    public long BatchesPerEpoch { get; }

    /// <summary>The records of the finished epochs (restored ones included after <see cref="Resume"/>).</summary>
    public TrainingHistory History { get; private set; } = new();

    /// <summary>The current epoch, from 1; during <see cref="Fit()"/>, the epoch running.</summary>
    public int Epoch { get; private set; }

    /// <summary>The first epoch <see cref="Fit()"/> runs: 1, or the epoch after the checkpoint a run resumed from.</summary>
    public int StartEpoch { get; private set; } = 1;

    /// <summary>The index of the current batch in its pass, from 0.</summary>
    public long BatchIndex { get; private set; }

    /// <summary>Optimizer steps taken so far in the run.</summary>
    public long StepCount { get; private set; }

    /// <summary>Whether the current batch is a training batch (false during validation).</summary>
    public bool IsTraining { get; private set; }

    /// <summary>The current batch's images on the training device.</summary>
    public Tensor? Images { get; private set; }

    /// <summary>The current batch's labels on the training device.</summary>
    public Tensor? Labels { get; private set; }

    /// <summary>The current batch's logits, after the forward pass.</summary>
    public Tensor? Logits { get; private set; }

    /// <summary>The current batch's mean loss, after the forward pass.</summary>
    public Tensor? Loss { get; private set; }

    /// <summary>The current batch's mean loss as a number (read once per batch).</summary>
    public double LossValue { get; private set; }

    /// <summary>Why the last <see cref="Fit()"/> ended early (a <see cref="CancelFitException"/>'s message), or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>The path of the newest checkpoint written in this run (or resumed from), or null.</summary>
    public string? LastCheckpointPath { get; internal set; }

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
    /// Batches of <see cref="FitOptions.BatchSize"/> are cut on the training device; the training order is shuffled
    /// from <see cref="FitOptions.Seed"/>. The model is left on the training device, in evaluation mode.
    /// </summary>
    /// <param name="model">The classifier.</param>
    /// <param name="train">The training set.</param>
    /// <param name="validation">The set evaluated after each epoch (e.g. the test set), or null.</param>
    /// <param name="options">The run's settings; null takes the defaults.</param>
    /// <param name="log">Receives one line per epoch, or null.</param>
    /// <returns>The history and why the run stopped.</returns>
    public static FitResult Fit(
        nn.Module<Tensor, Tensor> model,
        ImageDataset train,
        ImageDataset? validation,
        FitOptions? options = null,
        Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        options ??= new FitOptions();
        TorchSharpNative.EnsureLoaded();
        Device device = DevicePlan.Resolve(options).CreateDevice();
        var trainBatches = new BatchLoader(train, new LoaderOptions { BatchSize = options.BatchSize, Seed = (ulong)options.Seed, Device = device });
        BatchLoader? validationBatches = validation is null ? null : BatchLoader.ForEvaluation(validation, options.BatchSize, device);
        TrainerCallback[] extra = log is null ? [] : [new LogCallback(log)];
        using var trainer = new Trainer(model, trainBatches, validationBatches, options, extra);
        return trainer.Fit();
    }

    /// <summary>
    /// Runs the epochs from <see cref="StartEpoch"/> to <see cref="FitOptions.Epochs"/>. Seeds torch with
    /// <see cref="FitOptions.Seed"/> first, or, after <see cref="Resume"/>, restores the generator state of the checkpoint.
    /// </summary>
    /// <returns>The history and, when a callback ended the run early, why.</returns>
    /// <exception cref="NonFiniteLossException">A training loss was NaN or infinite.</exception>
    /// <exception cref="TrainingOutOfMemoryException">The device ran out of memory.</exception>
    public FitResult Fit()
    {
        if (resumedRngState is null)
        {
            manual_seed(Options.Seed);
        }
        else
        {
            using Tensor state = tensor(resumedRngState);
            set_rng_state(state);
            resumedRngState = null;
        }

        StopReason = null;
        WithEvents<CancelFitException>(
            () =>
            {
                for (Epoch = StartEpoch; Epoch <= Options.Epochs; Epoch++)
                {
                    RunEpoch();
                }
            },
            static (c, t) => c.BeforeFit(t),
            (c, t, e) =>
            {
                t.StopReason = e.Message;
                c.FitCancelled(t);
            },
            static (c, t) => c.AfterFit(t));
        StartEpoch = History.Epochs.Count + 1;
        return new FitResult(History, StopReason);
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
        LastCheckpointPath = path;
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

    /// <summary>
    /// Loss and accuracy of <paramref name="model"/> on <paramref name="batches"/> in evaluation mode, without gradients,
    /// each batch in its own dispose scope.
    /// </summary>
    /// <param name="model">The classifier.</param>
    /// <param name="batches">The data; batches are moved to the model's device if needed.</param>
    /// <param name="labelSmoothing">Label smoothing of the reported loss.</param>
    /// <returns>Loss, top-1/top-5, per-class accuracy and the confusion matrix.</returns>
    public static ClassificationMetrics Evaluate(nn.Module<Tensor, Tensor> model, IBatchSource batches, double labelSmoothing = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batches);
        TorchSharpNative.EnsureLoaded();
        model.eval();
        using IDisposable noGrad = no_grad();
        MetricAccumulator? metrics = null;
        try
        {
            foreach (Batch batch in batches.Epoch(0))
            {
                using DisposeScope scope = NewDisposeScope();
                Device target = model.parameters().FirstOrDefault()?.device ?? batch.Images.device;
                Tensor images = ToDevice(batch.Images, target);
                Tensor labels = ToDevice(batch.Labels, target);
                Tensor logits = model.call(images);
                Tensor loss = nn.functional.cross_entropy(logits, labels, label_smoothing: labelSmoothing);
                metrics ??= new MetricAccumulator((int)logits.shape[1], target);
                metrics.Add(logits, labels, loss.item<float>());
            }

            return metrics?.Result() ?? throw new ArgumentException("The batch source yielded no batches.", nameof(batches));
        }
        finally
        {
            metrics?.Dispose();
        }
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

    private void RunEpoch() => WithEvents<CancelEpochException>(
        () =>
        {
            TrainEpoch();
            if (ValidationBatches is not null)
            {
                WithEvents<CancelValidationException>(
                    Validate,
                    static (c, t) => c.BeforeValidation(t),
                    static (c, t, _) => c.ValidationCancelled(t),
                    static (c, t) => c.AfterValidation(t));
            }
        },
        static (c, t) => c.BeforeEpoch(t),
        static (c, t, _) => c.EpochCancelled(t),
        static (c, t) => c.AfterEpoch(t));

    private void TrainEpoch()
    {
        IsTraining = true;
        BatchIndex = 0;
        foreach (Batch batch in TrainBatches.Epoch(Epoch))
        {
            RunBatch(batch);
            BatchIndex++;
        }
    }

    private void Validate()
    {
        IsTraining = false;
        BatchIndex = 0;
        using IDisposable noGrad = no_grad();
        foreach (Batch batch in ValidationBatches!.Epoch(Epoch))
        {
            RunBatch(batch);
            BatchIndex++;
        }
    }

    private void RunBatch(Batch batch)
    {
        using DisposeScope scope = NewDisposeScope();
        try
        {
            WithEvents<CancelBatchException>(
                () =>
                {
                    Images = ToDevice(batch.Images, device);
                    if (Plan.ChannelsLast)
                    {
                        Images = ChannelsLast.Convert(Images);
                    }

                    Labels = ToDevice(batch.Labels, device);
                    Logits = Model.call(Images);
                    Loss = nn.functional.cross_entropy(Logits, Labels, label_smoothing: Options.LabelSmoothing);
                    LossValue = Loss.item<float>();
                    Raise(static (c, t) => c.AfterLoss(t));
                    if (IsTraining)
                    {
                        Optimizer.zero_grad();
                        Loss.backward();
                        Raise(static (c, t) => c.AfterBackward(t));
                        Optimizer.step();
                        StepCount++;
                        Raise(static (c, t) => c.AfterStep(t));
                    }
                },
                static (c, t) => c.BeforeBatch(t),
                static (c, t, _) => c.BatchCancelled(t),
                static (c, t) => c.AfterBatch(t));
        }
        catch (Exception e) when (e is not CancelTrainingException and not TrainingException && IsOutOfMemory(e))
        {
            int size = batch.Count;
            throw new TrainingOutOfMemoryException(
                $"The device ran out of memory in epoch {Epoch}, {(IsTraining ? "training" : "validation")} batch {BatchIndex + 1} of "
                + $"{(IsTraining ? BatchesPerEpoch : ValidationBatches!.BatchCount)} ({size} images). Try a batch size of {Math.Max(1, size / 2)}.",
                e);
        }
        finally
        {
            Images = null;
            Labels = null;
            Logits = null;
            Loss = null;
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
            foreach (TrainerCallback callback in callbacks)
            {
                cancelled(callback, this, cancel);
            }
        }

        Raise(after);
    }

    private void Raise(Action<TrainerCallback, Trainer> handler)
    {
        foreach (TrainerCallback callback in callbacks)
        {
            handler(callback, this);
        }
    }

    private IEnumerable<TrainerCallback> BuiltInCallbacks()
    {
        yield return new TrainEvalCallback();
        yield return new NonFiniteLossGuard();
        yield return new MetricsCallback();
        yield return new ScheduleCallback();
        if (Options.GradientClipNorm is not null || Options.TrackGradientNorm)
        {
            yield return new GradientNormCallback(Options.GradientClipNorm);
        }

        string defaultMonitor = ValidationBatches is null ? "train_loss" : "val_loss";
        if (Options.OutputDirectory is string directory)
        {
            yield return new HistoryFilesCallback(directory);
            yield return new CheckpointCallback(directory, Options.CheckpointMonitor ?? defaultMonitor);
        }

        if (Options.EarlyStopping is EarlyStoppingOptions stopping)
        {
            yield return new EarlyStoppingCallback(stopping);
        }
    }

    private static Tensor ToDevice(Tensor tensor, Device target) =>
        tensor.device_type == target.type && (target.type == DeviceType.CPU || tensor.device_index == target.index) ? tensor : tensor.to(target);

    private static bool IsOutOfMemory(Exception e) =>
        e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
        || (e.InnerException is not null && IsOutOfMemory(e.InnerException));
}
