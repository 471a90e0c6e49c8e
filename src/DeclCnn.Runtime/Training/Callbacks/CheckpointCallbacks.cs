using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Inference;
using DeclCnn.Runtime.Interchange;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training.Callbacks;

/// <summary>
/// After every epoch writes <c>last.ckpt</c>, and copies it to <c>best.ckpt</c> when the monitored metric improved;
/// both atomically. Beside each checkpoint it writes a model file (<c>last.safetensors</c>, <c>best.safetensors</c>:
/// <see cref="ModelFile"/>) with the training set's class names and statistics and the epoch and monitored value, when
/// the training batches come from a <see cref="BatchLoader"/> that normalizes them. A save that fails leaves the
/// previous files whole. Only an epoch whose monitored value, losses and weights are all finite can become the best.
/// The state it stores names the best epoch, so a resume can tell whether <c>best.ckpt</c> holds it and writes it
/// (and its model file) again from the resumed state when a kill came between the files.
/// </summary>
/// <param name="directory">The folder of the two files.</param>
/// <param name="monitor">The metric deciding the best epoch (<see cref="EpochRecord.Get"/>).</param>
/// <param name="minDelta">The smallest change that counts as an improvement (early stopping's, when it watches the same metric).</param>
public sealed class CheckpointCallback(string directory, string monitor, double minDelta = 0) : TrainerCallback, IStatefulCallback
{
    /// <summary>The name of the last checkpoint in the folder.</summary>
    public const string LastFileName = "last.ckpt";

    /// <summary>The name of the best checkpoint in the folder.</summary>
    public const string BestFileName = "best.ckpt";

    /// <summary>The name of the model file of the last epoch in the folder.</summary>
    public const string LastModelFileName = "last.safetensors";

    /// <summary>The name of the model file of the best epoch in the folder.</summary>
    public const string BestModelFileName = "best.safetensors";

    private readonly MetricGoal goal = MetricGoal.For(monitor);
    private double? best;
    private bool lastGood;
    private int savedEpoch;

    /// <summary>The full path of <c>last.ckpt</c>.</summary>
    public string LastPath { get; } = Path.Combine(directory, LastFileName);

    /// <summary>The full path of <c>best.ckpt</c>.</summary>
    public string BestPath { get; } = Path.Combine(directory, BestFileName);

    /// <summary>The full path of <c>last.safetensors</c>.</summary>
    public string LastModelPath { get; } = Path.Combine(directory, LastModelFileName);

    /// <summary>The full path of <c>best.safetensors</c>.</summary>
    public string BestModelPath { get; } = Path.Combine(directory, BestModelFileName);

    /// <summary>The epoch of the best checkpoint, or 0.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>
    /// The newest checkpoint of this run whose weights and recorded losses are finite: <c>last.ckpt</c> when its epoch
    /// was, else <c>best.ckpt</c> (always so); null when there is none.
    /// </summary>
    public string? GoodPath => lastGood ? LastPath : BestEpoch > 0 ? BestPath : null;

    /// <inheritdoc/>
    public override int Order => Orders.Checkpoint;

    /// <inheritdoc/>
    public string StateKey => "checkpoint";

    /// <summary>Replaces how files are written, for tests that inject failing streams.</summary>
    internal Func<Stream, Stream> Wrap { get; set; } = static stream => stream;

    /// <inheritdoc/>
    public override void BeforeFit(Trainer trainer)
    {
        savedEpoch = trainer.StartEpoch - 1;
        foreach (string path in new[] { LastPath, BestPath, LastModelPath, BestModelPath })
        {
            AtomicFile.DeleteStale(path);
        }

        // The files are written in the order last.ckpt, last.safetensors, best.safetensors, best.ckpt, so a kill
        // between them leaves the later ones behind only for the resumed epoch: the trainer now holds exactly that
        // state, so write them again.
        int resumed = trainer.StartEpoch - 1;
        if (resumed > 0 && !ModelFileHolds(LastModelPath, resumed))
        {
            SaveModelFile(trainer, LastModelPath);
        }

        if (BestEpoch > 0 && BestEpoch == resumed && !Holds(BestPath, BestEpoch))
        {
            SaveModelFile(trainer, BestModelPath);
            Checkpoint.Save(trainer, BestPath, Wrap);
        }
    }

    /// <inheritdoc/>
    public override void AfterEpoch(Trainer trainer) => Save(trainer);

    /// <summary>
    /// Writes the epoch a cancel ended before this callback saw it (early stopping runs before it): its state is then
    /// the state of every callback after the epoch.
    /// </summary>
    /// <param name="trainer">The trainer.</param>
    public override void FitCancelled(Trainer trainer) => Save(trainer);

    private void Save(Trainer trainer)
    {
        if (trainer.History.Last is not { } record || record.Epoch <= savedEpoch)
        {
            return;
        }

        double value = record.Get(monitor);
        bool good = IsFinite(record) && WeightsAreFinite(trainer.Model);
        bool improved = good && double.IsFinite(value) && (best is null || goal.Improves(value, best.Value, minDelta));
        var previous = (best, BestEpoch, lastGood);
        if (improved)
        {
            (best, BestEpoch) = (value, record.Epoch);
        }

        lastGood = good;
        try
        {
            Checkpoint.Save(trainer, LastPath, Wrap);
            savedEpoch = record.Epoch;
            bool modelFile = SaveModelFile(trainer, LastModelPath);
            if (improved)
            {
                if (modelFile)
                {
                    AtomicFile.Write(BestModelPath, target =>
                    {
                        using FileStream source = File.OpenRead(LastModelPath);
                        source.CopyTo(target);
                    });
                }

                AtomicFile.Write(BestPath, target =>
                {
                    using FileStream source = File.OpenRead(LastPath);
                    source.CopyTo(Wrap(target));
                });
            }
        }
        catch
        {
            (best, BestEpoch, lastGood) = previous;
            throw;
        }
    }

    /// <inheritdoc/>
    public JsonNode SaveState() => new JsonObject
    {
        ["monitor"] = monitor,
        ["best"] = best,
        ["best_epoch"] = BestEpoch,
        ["best_file"] = BestFileName,
        ["last_good"] = lastGood,
    };

    /// <inheritdoc/>
    public void LoadState(JsonNode state)
    {
        ArgumentNullException.ThrowIfNull(state);
        best = state["best"]?.GetValue<double>();
        BestEpoch = state["best_epoch"]!.GetValue<int>();
        lastGood = state["last_good"]?.GetValue<bool>() ?? true;
    }

    /// <summary>
    /// Writes the model file of the trainer's last epoch, when the training batches say what their images are and how
    /// they are normalized; without that a model file would mislead, so none is written.
    /// </summary>
    /// <returns>Whether the file was written.</returns>
    private bool SaveModelFile(Trainer trainer, string path)
    {
        if (trainer.TrainBatches is not BatchLoader { Statistics: { } statistics } loader || trainer.History.Last is not { } record)
        {
            return false;
        }

        DatasetInfo data = loader.Info;
        var info = new ModelInfo([data.Channels, data.Height, data.Width], data.ClassNames, statistics)
        {
            Provenance = new ModelProvenance { Dataset = data.Name, Epochs = record.Epoch, Metric = monitor, MetricValue = record.Get(monitor) },
        };
        ModelFile.Save(trainer.Model, path, info);
        return true;
    }

    private static bool ModelFileHolds(string path, int epoch)
    {
        try
        {
            return File.Exists(path) && ModelFile.ReadHeader(path).Info.Provenance?.Epochs == epoch;
        }
        catch (WeightFileException)
        {
            return false;
        }
    }

    private static bool IsFinite(EpochRecord record) =>
        double.IsFinite(record.Train.Loss) && (record.Validation is null || double.IsFinite(record.Validation.Loss));

    private static bool WeightsAreFinite(nn.Module model)
    {
        using DisposeScope scope = NewDisposeScope();
        return model.state_dict().Values.Where(t => t.is_floating_point()).All(t => isfinite(t).all().item<bool>());
    }

    private static bool Holds(string path, int epoch)
    {
        try
        {
            return File.Exists(path) && Checkpoint.ReadState(path).Epoch == epoch;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}

/// <summary>
/// Stops the fit (with <see cref="CancelFitException"/>) when the monitored metric has not improved by more than the
/// minimum delta for <c>patience</c> epochs, and at the end of the fit puts back the weights of the best epoch.
/// </summary>
public sealed class EarlyStoppingCallback : TrainerCallback, IStatefulCallback, IDisposable
{
    private readonly EarlyStoppingOptions options;
    private readonly MetricGoal goal;
    private Dictionary<string, Tensor>? bestWeights;
    private double? best;
    private int wait;

    /// <summary>Creates the callback.</summary>
    /// <param name="options">Monitor, patience, minimum delta and whether to restore the best weights.</param>
    public EarlyStoppingCallback(EarlyStoppingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Patience, nameof(options));
        this.options = options;
        goal = MetricGoal.For(options.Monitor);
    }

    /// <summary>The best epoch seen so far, or 0.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The epoch whose weights were put back at the end of the fit, or 0 when none were.</summary>
    public int RestoredEpoch { get; private set; }

    /// <inheritdoc/>
    public override int Order => Orders.EarlyStopping;

    /// <inheritdoc/>
    public string StateKey => "early_stopping";

    /// <inheritdoc/>
    public override void AfterEpoch(Trainer trainer)
    {
        if (trainer.History.Last is not { } record || record.Epoch != trainer.Epoch)
        {
            return;
        }

        double value = record.Get(options.Monitor);
        if (double.IsFinite(value) && (best is null || goal.Improves(value, best.Value, options.MinDelta)))
        {
            best = value;
            BestEpoch = record.Epoch;
            wait = 0;
            if (options.RestoreBestWeights)
            {
                Snapshot(trainer);
            }

            return;
        }

        wait++;
        if (wait >= options.Patience)
        {
            throw new CancelFitException($"early stopping: {Stagnation()}.");
        }
    }

    /// <summary>After a resume from the checkpoint of the epoch that stopped the run: says so instead of training on.</summary>
    /// <param name="trainer">The trainer.</param>
    public override void BeforeEpoch(Trainer trainer)
    {
        if (wait >= options.Patience)
        {
            throw new CancelFitException(
                $"early stopping already stopped this run after epoch {trainer.Epoch - 1}: {Stagnation()}. "
                + $"To train further, resume with a larger EarlyStopping.Patience (more than {wait}) or without EarlyStopping.");
        }
    }

    /// <inheritdoc/>
    public override void AfterFit(Trainer trainer)
    {
        if (!options.RestoreBestWeights || BestEpoch == 0 || trainer.History.Last?.Epoch == BestEpoch)
        {
            return;
        }

        if (bestWeights is not null)
        {
            trainer.Model.load_state_dict(bestWeights);
            RestoredEpoch = BestEpoch;
        }
        else if (trainer.Callbacks.OfType<CheckpointCallback>().FirstOrDefault() is { } checkpoints
            && File.Exists(checkpoints.BestPath)
            && Checkpoint.ReadState(checkpoints.BestPath).Epoch == BestEpoch)
        {
            // After a resume the in-memory copy is gone; the best checkpoint holds the same weights when it tracks the same epoch.
            Checkpoint.LoadWeights(checkpoints.BestPath, trainer.Model);
            RestoredEpoch = BestEpoch;
        }
    }

    /// <inheritdoc/>
    public JsonNode SaveState() => new JsonObject { ["best"] = best, ["best_epoch"] = BestEpoch, ["wait"] = wait };

    /// <inheritdoc/>
    public void LoadState(JsonNode state)
    {
        ArgumentNullException.ThrowIfNull(state);
        best = state["best"]?.GetValue<double>();
        BestEpoch = state["best_epoch"]!.GetValue<int>();
        wait = state["wait"]!.GetValue<int>();
    }

    /// <summary>Frees the copy of the best weights.</summary>
    public void Dispose() => ReleaseSnapshot();

    private string Stagnation() => string.Create(
        CultureInfo.InvariantCulture,
        $"{options.Monitor} has not improved by more than {options.MinDelta} for {wait} epochs ({(best is null ? "no finite value yet" : FormattableString.Invariant($"best {best.Value:G6} in epoch {BestEpoch}"))})");

    private void Snapshot(Trainer trainer)
    {
        ReleaseSnapshot();
        using IDisposable noGrad = no_grad();
        using DisposeScope scope = NewDisposeScope();
        bestWeights = trainer.Model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope(), StringComparer.Ordinal);
    }

    private void ReleaseSnapshot()
    {
        if (bestWeights is null)
        {
            return;
        }

        foreach (Tensor tensor in bestWeights.Values)
        {
            tensor.Dispose();
        }

        bestWeights = null;
    }
}
