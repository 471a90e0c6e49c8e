using System;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training;

/// <summary>
/// Settings of the training loop. The defaults train with Adam (lr 1e-3), a constant rate and plain cross-entropy,
/// keeping nothing on disk; set <see cref="OutputDirectory"/> to get checkpoints and history files. What the data
/// loaders own — batch size, order, the data seed and the device — is set on them (<see cref="Data.LoaderOptions"/>):
/// the trainer trains on the device its training batches come on.
/// </summary>
public sealed record FitOptions
{
    /// <summary>The number of passes over the training set; at least 1. Default: 1.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>
    /// Seeds torch's generator when the fit starts: dropout and anything else random in the model. The batch order and
    /// the augmentation follow the loader's own seed (<see cref="Data.LoaderOptions.Seed"/>). Default: 0.
    /// </summary>
    public ulong Seed { get; init; }

    /// <summary>The optimizer. Default: <see cref="AdamSettings"/> with lr 1e-3.</summary>
    public OptimizerSettings Optimizer { get; init; } = new AdamSettings();

    /// <summary>The learning-rate schedule. Default: <see cref="ConstantSchedule"/>.</summary>
    public LearningRateSchedule Schedule { get; init; } = new ConstantSchedule();

    /// <summary>Label smoothing of the default cross-entropy loss, in [0, 1); only without a <see cref="Loss"/>. Default: 0.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>
    /// The loss, from (logits, labels) to the batch's mean loss as a scalar tensor; null is cross-entropy with
    /// <see cref="LabelSmoothing"/>. A loss module works as its <c>call</c> method (<c>Loss = lossModule.call</c>); put a
    /// module holding tensors (class weights) on the training device first. Default: null.
    /// </summary>
    public Func<Tensor, Tensor, Tensor>? Loss { get; init; }

    /// <summary>Clips the global L2 norm of the gradients to this value before each step; null does not clip. Default: null.</summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>Records the mean gradient norm per epoch (<see cref="EpochRecord.GradientNorm"/>); always on when clipping. Default: false.</summary>
    public bool TrackGradientNorm { get; init; }

    /// <summary>Early stopping; null trains all <see cref="Epochs"/>. Default: null.</summary>
    public EarlyStoppingOptions? EarlyStopping { get; init; }

    /// <summary>
    /// Where the run keeps its files: <c>last.ckpt</c> and <c>best.ckpt</c> (<see cref="Checkpoint"/>), <c>history.csv</c>
    /// and <c>history.json</c>, rewritten atomically after every epoch. Null keeps nothing. Default: null.
    /// </summary>
    public string? OutputDirectory { get; init; }

    /// <summary>The metric that decides the best checkpoint; null means <c>val_loss</c>, or <c>train_loss</c> without validation data.</summary>
    public string? CheckpointMonitor { get; init; }

    /// <summary>
    /// Channels-last memory format for the convolution weights and the images fed to the model, on CUDA and the CPU
    /// alike; results differ from the standard layout by float rounding only. Default: false (no gain measured beyond
    /// noise for SimpleCnn or Cifar10Net on the CPU: docs/benchmarks.md, "Levers tried").
    /// </summary>
    public bool ChannelsLast { get; init; }

    /// <summary>
    /// Frees the gradients before each step's backward pass (PyTorch's <c>zero_grad(set_to_none=True)</c>) instead of
    /// filling them with zeros, so the backward pass writes fresh gradients rather than adding to zeroed ones. The
    /// weights come out the same when every parameter the optimizer holds gets a gradient each step; a parameter that
    /// gets none (a branch not taken) is then skipped by the optimizer rather than stepped with a zero gradient, as in
    /// PyTorch 2. Default: false (docs/benchmarks.md, "Levers tried").
    /// </summary>
    public bool SetGradientsToNone { get; init; }

    /// <summary>
    /// Reads each training step's loss back to the host, so that <see cref="Callbacks.NonFiniteLossGuard"/> stops a run
    /// before the step that would spread a NaN or infinite loss into the weights. False leaves the losses on the device
    /// (the metrics sum them there) and checks them once per training pass, at its end: one host synchronisation per
    /// step less, which lets a CUDA device run ahead of the host, but a non-finite loss is then reported after the rest
    /// of the epoch's steps have run (the run still stops before validation and checkpoints). Reporting callbacks that
    /// show per-batch losses read them anyway. Default: true (docs/benchmarks.md, "Levers tried").
    /// </summary>
    public bool CheckLossEveryStep { get; init; } = true;

    /// <summary>
    /// Mixed precision. TorchSharp 0.107 has no autocast, so on CUDA this fails with a <see cref="TrainingDeviceException"/>
    /// saying so rather than training in full precision silently; on the CPU it is ignored, with a note. Default: false.
    /// </summary>
    public bool MixedPrecision { get; init; }

    /// <summary>
    /// The k of the top-k accuracy, measured only where there are more than k classes (with k or fewer every label is
    /// among the top k). Default: 5.
    /// </summary>
    public int TopK { get; init; } = 5;

    /// <summary>Checks every setting before the trainer creates anything.</summary>
    /// <exception cref="ArgumentException">A setting is out of its range; the message names it.</exception>
    internal void Validate()
    {
        Require(nameof(Epochs), Epochs >= 1, $"{Epochs}; it must be at least 1");
        Require(nameof(TopK), TopK >= 2, $"{TopK}; it must be at least 2 (top-1 is always measured)");
        Require(nameof(LabelSmoothing), LabelSmoothing is >= 0 and < 1, $"{LabelSmoothing}; it must be in [0, 1)");
        Require(nameof(LabelSmoothing), Loss is null || LabelSmoothing == 0, "set together with Loss; it applies to the default cross-entropy only: smooth the labels inside your loss");
        Require(nameof(GradientClipNorm), GradientClipNorm is null or (> 0 and <= double.MaxValue), $"{GradientClipNorm}; it must be a positive finite number, or null");
        Require("EarlyStopping.Patience", EarlyStopping is null || EarlyStopping.Patience >= 1, $"{EarlyStopping?.Patience}; it must be at least 1");
        Require("EarlyStopping.MinDelta", EarlyStopping is null || EarlyStopping.MinDelta is >= 0 and <= double.MaxValue, $"{EarlyStopping?.MinDelta}; it must be a finite number of at least 0");
        Optimizer.Validate();
    }

    private static void Require(string option, bool valid, string problem)
    {
        if (!valid)
        {
            throw new ArgumentException(FormattableString.Invariant($"FitOptions.{option} is {problem}."));
        }
    }
}

/// <summary>Stops a run when <see cref="Monitor"/> stops improving, and puts back the best weights.</summary>
/// <param name="Monitor">The metric watched (see <see cref="EpochRecord.Get"/>); names with "loss" are minimized, others maximized. Default: <c>val_loss</c>.</param>
/// <param name="Patience">Epochs without improvement before stopping; at least 1. Default: 5.</param>
/// <param name="MinDelta">The smallest change that counts as an improvement. Default: 0.</param>
/// <param name="RestoreBestWeights">Whether the model ends with the weights of its best epoch. Default: true.</param>
public sealed record EarlyStoppingOptions(string Monitor = "val_loss", int Patience = 5, double MinDelta = 0, bool RestoreBestWeights = true);

/// <summary>The outcome of a fit.</summary>
/// <param name="History">The records of every epoch, including those before a resume.</param>
/// <param name="StopReason">Why the fit ended before its last epoch (a <see cref="CancelFitException"/>'s message), or null.</param>
public sealed record FitResult(TrainingHistory History, string? StopReason)
{
    /// <summary>The record of the last epoch run.</summary>
    /// <exception cref="System.InvalidOperationException">No epoch ran.</exception>
    public EpochRecord Last => History.Last ?? throw new System.InvalidOperationException("No epoch ran.");
}
