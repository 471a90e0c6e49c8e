using System;

namespace DeclCnn.Runtime.Training;

/// <summary>Turns failures from inside the loop that the user cannot act on as they are into exceptions that say where and what to do.</summary>
internal static class TrainingErrors
{
    /// <summary>The exception to throw instead of <paramref name="error"/>, or null to let it through.</summary>
    public static Exception? Translate(Trainer trainer, Exception error)
    {
        if (error is CancelTrainingException or TrainingException || !IsOutOfMemory(error))
        {
            return null;
        }

        BatchState batch = trainer.Batch;
        long batches = batch.IsTraining ? trainer.TrainBatches.BatchCount : trainer.ValidationBatches!.BatchCount;
        return new TrainingOutOfMemoryException(
            $"The device ran out of memory in epoch {trainer.Epoch}, {(batch.IsTraining ? "training" : "validation")} batch {batch.Index + 1} of "
            + $"{batches} ({batch.Size} images). Try a batch size of {Math.Max(1, batch.Size / 2)}.",
            error);
    }

    private static bool IsOutOfMemory(Exception e) =>
        e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
        || (e.InnerException is not null && IsOutOfMemory(e.InnerException));
}
