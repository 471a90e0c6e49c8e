using System.Text.Json.Nodes;

namespace DeclCnn.Runtime.Training;

/// <summary>
/// A participant in the training loop. The trainer raises each event on every callback in ascending
/// <see cref="Order"/> (ties keep registration order); the built-in behaviours — train/eval switching, the
/// learning-rate schedule, gradient clipping, metrics, checkpoints, early stopping, reporting — are callbacks too.
/// </summary>
/// <remarks>
/// Events nest as <c>BeforeFit (BeforeEpoch (BeforeBatch AfterLoss AfterBackward AfterStep AfterBatch)*
/// BeforeValidation (BeforeBatch AfterLoss AfterBatch)* AfterValidation AfterEpoch)* AfterFit</c>; the batch events
/// also fire during validation, with <see cref="BatchState.IsTraining"/> false. To change the control flow, throw
/// <see cref="CancelBatchException"/>, <see cref="CancelValidationException"/>, <see cref="CancelEpochException"/> or
/// <see cref="CancelFitException"/>: the trainer raises the matching <c>...Cancelled</c> event and then the
/// <c>After...</c> event of that level, and carries on at the level above; callbacks after the one that threw do not see
/// the event it threw in. Any other exception ends the fit.
/// </remarks>
public abstract class TrainerCallback
{
    /// <summary>Orders of the built-in callbacks; user callbacks default to <see cref="User"/>.</summary>
    public static class Orders
    {
        /// <summary>Device placement and train/eval switching.</summary>
        public const int TrainEval = 0;

        /// <summary>Gradient clipping and norm tracking (AfterBackward).</summary>
        public const int Gradients = 10;

        /// <summary>The non-finite loss guard (AfterLoss).</summary>
        public const int LossGuard = 20;

        /// <summary>Metrics: builds the epoch's <see cref="EpochRecord"/> in AfterEpoch.</summary>
        public const int Metrics = 50;

        /// <summary>The learning-rate schedule (reads the record in AfterEpoch).</summary>
        public const int Schedule = 60;

        /// <summary>User callbacks, by default: after the record exists, before checkpoints and stopping.</summary>
        public const int User = 65;

        /// <summary>Logs, progress and plots.</summary>
        public const int Reporting = 70;

        /// <summary>
        /// Early stopping: decides after everything above has seen the epoch. Stateful callbacks run before it, so that the
        /// checkpoint (written in AfterEpoch, or in FitCancelled when the fit was cancelled) captures them after the epoch.
        /// </summary>
        public const int EarlyStopping = 75;

        /// <summary>Best and last checkpoints.</summary>
        public const int Checkpoint = 80;

        /// <summary>History files: after the checkpoint, so they never hold an epoch the checkpoint does not.</summary>
        public const int HistoryFiles = 85;
    }

    /// <summary>The position of this callback among the others; lower runs first. Default: <see cref="Orders.User"/>.</summary>
    public virtual int Order => Orders.User;

    /// <summary>Before the first epoch (after a resume, before the first remaining epoch).</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void BeforeFit(Trainer trainer)
    {
    }

    /// <summary>After the last epoch, or after <see cref="FitCancelled"/>.</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void AfterFit(Trainer trainer)
    {
    }

    /// <summary>When a callback threw <see cref="CancelFitException"/>.</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void FitCancelled(Trainer trainer)
    {
    }

    /// <summary>Before each epoch's training batches.</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void BeforeEpoch(Trainer trainer)
    {
    }

    /// <summary>After each epoch's validation.</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void AfterEpoch(Trainer trainer)
    {
    }

    /// <summary>When a callback threw <see cref="CancelEpochException"/>.</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void EpochCancelled(Trainer trainer)
    {
    }

    /// <summary>Before the forward pass of each batch, training or validation.</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void BeforeBatch(Trainer trainer)
    {
    }

    /// <summary>After the loss is computed (<see cref="BatchState.Loss"/>, <see cref="BatchState.LossValue"/>).</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void AfterLoss(Trainer trainer)
    {
    }

    /// <summary>After the backward pass, before the optimizer step (training only).</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void AfterBackward(Trainer trainer)
    {
    }

    /// <summary>After the optimizer step (training only).</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void AfterStep(Trainer trainer)
    {
    }

    /// <summary>After each batch, training or validation.</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void AfterBatch(Trainer trainer)
    {
    }

    /// <summary>When a callback threw <see cref="CancelBatchException"/>.</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void BatchCancelled(Trainer trainer)
    {
    }

    /// <summary>Before the validation pass of each epoch (only with validation data).</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void BeforeValidation(Trainer trainer)
    {
    }

    /// <summary>After the validation pass.</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void AfterValidation(Trainer trainer)
    {
    }

    /// <summary>When a callback threw <see cref="CancelValidationException"/>.</summary>
    /// <param name="trainer">The trainer.</param>
    public virtual void ValidationCancelled(Trainer trainer)
    {
    }
}

/// <summary>A callback whose state must survive a resume: checkpoints store it under <see cref="StateKey"/>.</summary>
public interface IStatefulCallback
{
    /// <summary>A key unique among the trainer's callbacks.</summary>
    string StateKey { get; }

    /// <summary>A snapshot of the state, taken when a checkpoint is written.</summary>
    /// <returns>The state as JSON.</returns>
    JsonNode? SaveState();

    /// <summary>Restores a snapshot when a run resumes.</summary>
    /// <param name="state">The snapshot written by <see cref="SaveState"/>.</param>
    void LoadState(JsonNode state);
}
