using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using DeclCnn.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training.Callbacks;

/// <summary>
/// After every epoch writes <c>last.ckpt</c>, and copies it to <c>best.ckpt</c> when <paramref name="monitor"/> improved;
/// both atomically. A save that fails leaves the previous files whole.
/// </summary>
/// <param name="directory">The folder of the two files.</param>
/// <param name="monitor">The metric deciding the best epoch (<see cref="EpochRecord.Get"/>).</param>
public sealed class CheckpointCallback(string directory, string monitor) : TrainerCallback, IStatefulCallback
{
    /// <summary>The name of the last checkpoint in the folder.</summary>
    public const string LastFileName = "last.ckpt";

    /// <summary>The name of the best checkpoint in the folder.</summary>
    public const string BestFileName = "best.ckpt";

    private readonly MetricGoal goal = MetricGoal.For(monitor);
    private double? best;

    /// <summary>The full path of <c>last.ckpt</c>.</summary>
    public string LastPath { get; } = Path.Combine(directory, LastFileName);

    /// <summary>The full path of <c>best.ckpt</c>.</summary>
    public string BestPath { get; } = Path.Combine(directory, BestFileName);

    /// <summary>The path of the newest checkpoint written in this run (or resumed from), or null.</summary>
    public string? SavedPath { get; private set; }

    /// <summary>The epoch of the best checkpoint, or 0.</summary>
    public int BestEpoch { get; private set; }

    /// <inheritdoc/>
    public override int Order => Orders.Checkpoint;

    /// <inheritdoc/>
    public string StateKey => "checkpoint";

    /// <summary>Replaces how files are written, for tests that inject failing streams.</summary>
    internal Func<Stream, Stream> Wrap { get; set; } = static stream => stream;

    /// <inheritdoc/>
    public override void AfterEpoch(Trainer trainer)
    {
        if (trainer.History.Last is not { } record || record.Epoch != trainer.Epoch)
        {
            return;
        }

        double value = record.Get(monitor);
        bool improved = best is null || goal.Improves(value, best.Value, 0);
        double? previousBest = best;
        int previousEpoch = BestEpoch;
        if (improved)
        {
            best = value;
            BestEpoch = record.Epoch;
        }

        try
        {
            Checkpoint.Save(trainer, LastPath, Wrap);
            SavedPath = LastPath;
            if (improved)
            {
                AtomicFile.Write(BestPath, target =>
                {
                    using FileStream source = File.OpenRead(LastPath);
                    source.CopyTo(Wrap(target));
                });
            }
        }
        catch
        {
            best = previousBest;
            BestEpoch = previousEpoch;
            throw;
        }
    }

    /// <inheritdoc/>
    public JsonNode SaveState() => new JsonObject { ["monitor"] = monitor, ["best"] = best, ["best_epoch"] = BestEpoch };

    /// <inheritdoc/>
    public void LoadState(JsonNode state)
    {
        ArgumentNullException.ThrowIfNull(state);
        best = state["best"]?.GetValue<double>();
        BestEpoch = state["best_epoch"]!.GetValue<int>();
        SavedPath = LastPath;
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
        if (best is null || goal.Improves(value, best.Value, options.MinDelta))
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
            throw new CancelFitException(string.Create(
                CultureInfo.InvariantCulture,
                $"early stopping: {options.Monitor} has not improved by more than {options.MinDelta} for {wait} epochs (best {best.Value:G6} in epoch {BestEpoch})."));
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
