using System;

namespace DeclCnn.Runtime.Training;

/// <summary>Base of the exceptions callbacks throw to change the training loop's control flow; never an error.</summary>
public abstract class CancelTrainingException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected CancelTrainingException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the loop was cancelled.</param>
    protected CancelTrainingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the loop was cancelled.</param>
    /// <param name="innerException">The cause.</param>
    protected CancelTrainingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Skips the rest of the current batch (for a training batch: the remaining events and, if not yet done, the step).</summary>
public sealed class CancelBatchException : CancelTrainingException
{
    /// <summary>Creates the exception.</summary>
    public CancelBatchException()
        : base("The batch was cancelled.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why.</param>
    public CancelBatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why.</param>
    /// <param name="innerException">The cause.</param>
    public CancelBatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Skips the rest of the validation pass.</summary>
public sealed class CancelValidationException : CancelTrainingException
{
    /// <summary>Creates the exception.</summary>
    public CancelValidationException()
        : base("The validation was cancelled.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why.</param>
    public CancelValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why.</param>
    /// <param name="innerException">The cause.</param>
    public CancelValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Skips the rest of the current epoch and goes on with the next one.</summary>
public sealed class CancelEpochException : CancelTrainingException
{
    /// <summary>Creates the exception.</summary>
    public CancelEpochException()
        : base("The epoch was cancelled.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why.</param>
    public CancelEpochException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why.</param>
    /// <param name="innerException">The cause.</param>
    public CancelEpochException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Ends the fit normally (early stopping uses it); <see cref="TrainerCallback.AfterFit"/> still runs.</summary>
public sealed class CancelFitException : CancelTrainingException
{
    /// <summary>Creates the exception.</summary>
    public CancelFitException()
        : base("The fit was cancelled.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why; it becomes <see cref="FitResult.StopReason"/>.</param>
    public CancelFitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why; it becomes <see cref="FitResult.StopReason"/>.</param>
    /// <param name="innerException">The cause.</param>
    public CancelFitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A training run failed; the message says where and what to do. Checkpoints already written are kept.</summary>
public class TrainingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingException()
        : base("The training run failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to change.</param>
    public TrainingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to change.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The loss of a training batch was NaN or infinite; the message names the epoch and the batch.</summary>
public sealed class NonFiniteLossException : TrainingException
{
    /// <summary>Creates the exception.</summary>
    public NonFiniteLossException()
        : base("The loss was not finite.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to change.</param>
    public NonFiniteLossException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to change.</param>
    /// <param name="innerException">The cause.</param>
    public NonFiniteLossException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The device ran out of memory during a batch; the message names the batch and a smaller batch size to try.</summary>
public sealed class TrainingOutOfMemoryException : TrainingException
{
    /// <summary>Creates the exception.</summary>
    public TrainingOutOfMemoryException()
        : base("The device ran out of memory.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to change.</param>
    public TrainingOutOfMemoryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to change.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingOutOfMemoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The requested device cannot be used; the message says why and what to reference or request instead.</summary>
public sealed class TrainingDeviceException : TrainingException
{
    /// <summary>Creates the exception.</summary>
    public TrainingDeviceException()
        : base("The requested device is not available.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and what to change.</param>
    public TrainingDeviceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and what to change.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingDeviceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
