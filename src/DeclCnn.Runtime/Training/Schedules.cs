using System;
using System.Text.Json.Nodes;

namespace DeclCnn.Runtime.Training;

/// <summary>When a schedule updates the learning rate.</summary>
public enum ScheduleInterval
{
    /// <summary>Once, before each epoch's first batch.</summary>
    Epoch,

    /// <summary>Before every training batch.</summary>
    Batch,
}

/// <summary>
/// A learning-rate schedule: plain settings, from which <see cref="Start"/> makes the scheduler of one run. The built-in
/// ones are <see cref="ConstantSchedule"/>, <see cref="StepSchedule"/>, <see cref="ExponentialSchedule"/>,
/// <see cref="CosineSchedule"/>, <see cref="OneCycleSchedule"/> and <see cref="ReduceOnPlateauSchedule"/>.
/// </summary>
public abstract record LearningRateSchedule
{
    /// <summary>Whether the schedule changes the rate per epoch or per batch.</summary>
    public abstract ScheduleInterval Interval { get; }

    /// <summary>Makes the scheduler of one run.</summary>
    /// <param name="baseLearningRate">The optimizer's learning rate (<see cref="OptimizerSettings.LearningRate"/>).</param>
    /// <param name="epochs">The number of epochs of the run.</param>
    /// <param name="batchesPerEpoch">Training batches per epoch.</param>
    /// <returns>A new scheduler, positioned before the first epoch.</returns>
    public abstract ILearningRateScheduler Start(double baseLearningRate, int epochs, long batchesPerEpoch);
}

/// <summary>The scheduler of one run: gives the learning rate at each point and, for adaptive schedules, keeps state.</summary>
public interface ILearningRateScheduler
{
    /// <summary>The learning rate for batch <paramref name="batch"/> of epoch <paramref name="epoch"/> (both from 0).</summary>
    /// <param name="epoch">The epoch index, from 0.</param>
    /// <param name="batch">The batch index in the epoch, from 0; always 0 for per-epoch schedules.</param>
    /// <returns>The learning rate to use.</returns>
    double LearningRate(int epoch, long batch);

    /// <summary>Called after each epoch with its record (adaptive schedules read their monitored metric there).</summary>
    /// <param name="record">The finished epoch's record.</param>
    void EndEpoch(EpochRecord record);

    /// <summary>The state needed to resume, or null when the rate depends on the position only.</summary>
    /// <returns>A JSON snapshot of the state.</returns>
    JsonNode? SaveState();

    /// <summary>Restores a state written by <see cref="SaveState"/>.</summary>
    /// <param name="state">The snapshot.</param>
    void LoadState(JsonNode state);
}

/// <summary>A scheduler whose rate is a pure function of the position in the run.</summary>
internal sealed class PositionScheduler(Func<int, long, double> learningRate) : ILearningRateScheduler
{
    public double LearningRate(int epoch, long batch) => learningRate(epoch, batch);

    public void EndEpoch(EpochRecord record)
    {
    }

    public JsonNode? SaveState() => null;

    public void LoadState(JsonNode state)
    {
    }
}

/// <summary>The optimizer's learning rate throughout.</summary>
public sealed record ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc/>
    public override ScheduleInterval Interval => ScheduleInterval.Epoch;

    /// <inheritdoc/>
    public override ILearningRateScheduler Start(double baseLearningRate, int epochs, long batchesPerEpoch) =>
        new PositionScheduler((_, _) => baseLearningRate);
}

/// <summary>Multiplies the rate by <see cref="Gamma"/> every <see cref="StepSize"/> epochs, as <c>torch.optim.lr_scheduler.StepLR</c>.</summary>
/// <param name="StepSize">Epochs between decays; at least 1.</param>
/// <param name="Gamma">The decay factor. Default: 0.1.</param>
public sealed record StepSchedule(int StepSize, double Gamma = 0.1) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override ScheduleInterval Interval => ScheduleInterval.Epoch;

    /// <inheritdoc/>
    public override ILearningRateScheduler Start(double baseLearningRate, int epochs, long batchesPerEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(StepSize);
        return new PositionScheduler((epoch, _) => baseLearningRate * Math.Pow(Gamma, epoch / StepSize));
    }
}

/// <summary>Multiplies the rate by <see cref="Gamma"/> after every epoch, as <c>ExponentialLR</c>; the seed's recipe uses 0.96.</summary>
/// <param name="Gamma">The decay factor per epoch. Default: 0.96.</param>
public sealed record ExponentialSchedule(double Gamma = 0.96) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override ScheduleInterval Interval => ScheduleInterval.Epoch;

    /// <inheritdoc/>
    public override ILearningRateScheduler Start(double baseLearningRate, int epochs, long batchesPerEpoch) =>
        new PositionScheduler((epoch, _) => baseLearningRate * Math.Pow(Gamma, epoch));
}

/// <summary>
/// Linear warm-up from <c>lr / steps</c> to the base rate over <see cref="WarmupEpochs"/>, then cosine annealing to
/// <see cref="MinLearningRate"/> at the end of the run; stepped per batch.
/// </summary>
/// <param name="WarmupEpochs">Length of the warm-up in epochs (fractions allowed). Default: 0.</param>
/// <param name="MinLearningRate">The rate reached at the last step. Default: 0.</param>
public sealed record CosineSchedule(double WarmupEpochs = 0, double MinLearningRate = 0) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override ScheduleInterval Interval => ScheduleInterval.Batch;

    /// <inheritdoc/>
    public override ILearningRateScheduler Start(double baseLearningRate, int epochs, long batchesPerEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(WarmupEpochs);
        long total = epochs * batchesPerEpoch;
        long warmup = Math.Min(total, (long)Math.Round(WarmupEpochs * batchesPerEpoch));
        return new PositionScheduler((epoch, batch) =>
        {
            long step = (epoch * batchesPerEpoch) + batch;
            if (step < warmup)
            {
                return baseLearningRate * (step + 1) / warmup;
            }

            double progress = total - warmup <= 1 ? 1 : (double)(step - warmup) / (total - warmup - 1);
            return MinLearningRate + ((baseLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * Math.Min(1, progress))) / 2);
        });
    }
}

/// <summary>
/// The one-cycle policy (Smith, 2018), as PyTorch's <c>OneCycleLR</c> with cosine annealing: from
/// <c>lr / DivFactor</c> up to the base rate over the first <see cref="WarmupFraction"/> of the steps, then down to
/// <c>lr / (DivFactor * FinalDivFactor)</c>; stepped per batch. Momentum is not cycled.
/// </summary>
/// <param name="WarmupFraction">Fraction of the steps spent rising. Default: 0.3.</param>
/// <param name="DivFactor">Initial rate = base / this. Default: 25.</param>
/// <param name="FinalDivFactor">Final rate = initial / this. Default: 1e4.</param>
public sealed record OneCycleSchedule(double WarmupFraction = 0.3, double DivFactor = 25, double FinalDivFactor = 1e4) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override ScheduleInterval Interval => ScheduleInterval.Batch;

    /// <inheritdoc/>
    public override ILearningRateScheduler Start(double baseLearningRate, int epochs, long batchesPerEpoch)
    {
        if (!(WarmupFraction > 0 && WarmupFraction < 1))
        {
            throw new InvalidOperationException($"The warm-up fraction must be strictly between 0 and 1, not {WarmupFraction}.");
        }

        double initial = baseLearningRate / DivFactor;
        double final = initial / FinalDivFactor;
        long total = epochs * batchesPerEpoch;
        double peak = (WarmupFraction * total) - 1;
        return new PositionScheduler((epoch, batch) =>
        {
            double step = (epoch * batchesPerEpoch) + batch;
            return step <= peak
                ? Anneal(initial, baseLearningRate, peak <= 0 ? 1 : step / peak)
                : Anneal(baseLearningRate, final, (step - peak) / Math.Max(1, total - 1 - peak));
        });
    }

    private static double Anneal(double from, double to, double progress) =>
        to + ((from - to) * (1 + Math.Cos(Math.PI * Math.Min(1, progress))) / 2);
}

/// <summary>
/// Divides the rate by <c>1 / Factor</c> when <see cref="Monitor"/> has not improved for <see cref="Patience"/> epochs,
/// as <c>ReduceLROnPlateau</c> (relative threshold mode); stepped per epoch.
/// </summary>
/// <param name="Monitor">The metric watched (see <see cref="EpochRecord.Get"/>). Default: <c>val_loss</c>.</param>
/// <param name="Factor">The multiplier applied on a plateau, in (0, 1). Default: 0.1.</param>
/// <param name="Patience">Epochs without improvement before the rate falls. Default: 10.</param>
/// <param name="MinLearningRate">The floor of the rate. Default: 0.</param>
/// <param name="Threshold">Relative improvement that counts. Default: 1e-4.</param>
/// <param name="Cooldown">Epochs to wait after a reduction before counting again. Default: 0.</param>
public sealed record ReduceOnPlateauSchedule(
    string Monitor = "val_loss", double Factor = 0.1, int Patience = 10, double MinLearningRate = 0, double Threshold = 1e-4, int Cooldown = 0)
    : LearningRateSchedule
{
    /// <inheritdoc/>
    public override ScheduleInterval Interval => ScheduleInterval.Epoch;

    /// <inheritdoc/>
    public override ILearningRateScheduler Start(double baseLearningRate, int epochs, long batchesPerEpoch)
    {
        if (!(Factor > 0 && Factor < 1))
        {
            throw new InvalidOperationException($"The plateau factor must be strictly between 0 and 1, not {Factor}.");
        }

        return new PlateauScheduler(this, baseLearningRate);
    }

    private sealed class PlateauScheduler(ReduceOnPlateauSchedule settings, double learningRate) : ILearningRateScheduler
    {
        private readonly MetricGoal goal = MetricGoal.For(settings.Monitor);
        private double current = learningRate;
        private double? best;
        private int badEpochs;
        private int cooldownLeft;

        public double LearningRate(int epoch, long batch) => current;

        public void EndEpoch(EpochRecord record)
        {
            double value = record.Get(settings.Monitor);
            if (double.IsFinite(value) && (best is null || goal.Improves(value, best.Value, settings.Threshold * Math.Abs(best.Value))))
            {
                best = value;
                badEpochs = 0;
            }
            else
            {
                badEpochs++;
            }

            if (cooldownLeft > 0)
            {
                cooldownLeft--;
                badEpochs = 0;
            }

            if (badEpochs > settings.Patience)
            {
                current = Math.Max(settings.MinLearningRate, current * settings.Factor);
                cooldownLeft = settings.Cooldown;
                badEpochs = 0;
            }
        }

        public JsonNode SaveState() => new JsonObject
        {
            ["learning_rate"] = current,
            ["best"] = best,
            ["bad_epochs"] = badEpochs,
            ["cooldown_left"] = cooldownLeft,
        };

        public void LoadState(JsonNode state)
        {
            current = state["learning_rate"]!.GetValue<double>();
            best = state["best"]?.GetValue<double>();
            badEpochs = state["bad_epochs"]!.GetValue<int>();
            cooldownLeft = state["cooldown_left"]!.GetValue<int>();
        }
    }
}
