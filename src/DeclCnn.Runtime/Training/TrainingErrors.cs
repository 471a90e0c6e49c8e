using System;
using System.Globalization;
using System.Runtime.InteropServices;

namespace DeclCnn.Runtime.Training;

/// <summary>Turns failures from inside the loop that the user cannot act on as they are into exceptions that say where and what to do.</summary>
internal static class TrainingErrors
{
    /// <summary>The exception to throw instead of <paramref name="error"/>, or null to let it through.</summary>
    public static Exception? Translate(Trainer trainer, Exception error)
    {
        if (error is CancelTrainingException or TrainingException)
        {
            return null;
        }

        BatchState batch = trainer.Batch;
        if (IsOutOfMemory(error))
        {
            return new TrainingOutOfMemoryException(
                $"The device ran out of memory in {Where(trainer)} ({batch.Size} images). Try a batch size of {Math.Max(1, batch.Size / 2)}.", error);
        }

        // libtorch reports its own failures (a value it cannot convert, a shape it cannot take) as ExternalException
        // without saying where in the run they happened.
        return error is ExternalException
            ? new TrainingException(
                string.Create(CultureInfo.InvariantCulture, $"libtorch failed in {Where(trainer)} (step {trainer.StepCount + 1}, learning rate {trainer.LearningRate:G4}): {error.Message}"),
                error)
            : null;
    }

    private static string Where(Trainer trainer)
    {
        BatchState batch = trainer.Batch;
        long batches = batch.IsTraining ? trainer.TrainBatches.BatchCount : trainer.ValidationBatches!.BatchCount;
        return string.Create(
            CultureInfo.InvariantCulture, $"epoch {trainer.Epoch}, {(batch.IsTraining ? "training" : "validation")} batch {batch.Index + 1} of {batches}");
    }

    private static bool IsOutOfMemory(Exception e) =>
        e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
        || (e.InnerException is not null && IsOutOfMemory(e.InnerException));
}
