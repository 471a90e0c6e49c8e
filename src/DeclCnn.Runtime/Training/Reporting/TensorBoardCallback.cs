using System;
using System.Collections.Generic;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training.Reporting;

/// <summary>
/// Writes the run's metrics as TensorBoard scalars into an event file (<c>events.out.tfevents.*</c>) in a folder, with
/// TorchSharp's own <c>torch.utils.tensorboard.SummaryWriter</c>: after every epoch <c>loss/train</c>,
/// <c>loss/val</c>, <c>top1/train</c>, <c>top1/val</c>, <c>top5/train</c>, <c>top5/val</c> (top-k, only with more than k classes), <c>lr</c>,
/// <c>grad_norm</c> (when tracked), <c>images_per_s</c> and every logged extra (<c>extra/&lt;name&gt;</c>) at step =
/// epoch; with <see cref="BatchInterval"/>, also <c>batch/loss</c> and <c>batch/lr</c> every that many steps at step =
/// optimizer step. View with <c>tensorboard --logdir &lt;folder&gt;</c>.
/// </summary>
/// <remarks>
/// Every event carries the wall time in seconds since the Unix epoch, as TensorBoard expects (TorchSharp 0.107's
/// writer would otherwise stamp 0); TorchSharp passes it through a whole number, so it has a resolution of one second.
/// Its first event, the file-version record, carries TorchSharp's own time stamp (.NET ticks), which TensorBoard does not
/// use for scalars. TorchSharp's writer opens, appends to and closes the file for each event, so what a run writes is
/// on disk at once.
/// </remarks>
public sealed class TensorBoardCallback : TrainerCallback
{
    private SummaryWriter? writer;

    /// <summary>Creates a callback writing into <paramref name="logDirectory"/>.</summary>
    /// <param name="logDirectory">The run's folder (created if missing); one new event file per fit.</param>
    /// <param name="batchInterval">Writes the training loss and learning rate every this many optimizer steps; 0 writes per epoch only. Default: 0.</param>
    public TensorBoardCallback(string logDirectory, int batchInterval = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(batchInterval);
        LogDirectory = logDirectory;
        BatchInterval = batchInterval;
    }

    /// <summary>The folder of the event files.</summary>
    public string LogDirectory { get; }

    /// <summary>Steps between per-batch scalars; 0 for none.</summary>
    public int BatchInterval { get; }

    /// <inheritdoc/>
    public override int Order => Orders.Reporting;

    /// <inheritdoc/>
    public override void BeforeFit(Trainer trainer) => writer ??= utils.tensorboard.SummaryWriter(LogDirectory);

    /// <inheritdoc/>
    public override void AfterStep(Trainer trainer)
    {
        if (BatchInterval > 0 && trainer.StepCount % BatchInterval == 0)
        {
            int step = checked((int)trainer.StepCount);
            Write("batch/loss", trainer.Batch.LossValue, step);
            Write("batch/lr", trainer.LearningRate, step);
        }
    }

    /// <inheritdoc/>
    public override void AfterEpoch(Trainer trainer)
    {
        if (trainer.History.Last is not { } record || record.Epoch != trainer.Epoch)
        {
            return;
        }

        foreach (var (tag, value) in Scalars(record))
        {
            Write(tag, value, record.Epoch);
        }
    }

    /// <summary>The per-epoch scalars of a record, by TensorBoard tag, as this callback writes them.</summary>
    /// <param name="record">The epoch's record.</param>
    /// <returns>Tag and value pairs; validation tags only with validation metrics, <c>grad_norm</c> only when tracked.</returns>
    public static IReadOnlyList<KeyValuePair<string, double>> Scalars(EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var scalars = new List<KeyValuePair<string, double>>
        {
            new("loss/train", record.Train.Loss),
            new("top1/train", record.Train.Top1),
        };
        if (record.Train.TopK is double trainTopK)
        {
            scalars.Add(new($"top{record.Train.K}/train", trainTopK));
        }

        if (record.Validation is { } validation)
        {
            scalars.Add(new("loss/val", validation.Loss));
            scalars.Add(new("top1/val", validation.Top1));
            if (validation.TopK is double validationTopK)
            {
                scalars.Add(new($"top{validation.K}/val", validationTopK));
            }
        }

        scalars.Add(new("lr", record.LearningRate));
        if (record.GradientNorm is double norm)
        {
            scalars.Add(new("grad_norm", norm));
        }

        scalars.Add(new("images_per_s", record.ImagesPerSecond));
        foreach (var (name, value) in record.Extra)
        {
            scalars.Add(new($"extra/{name}", value));
        }

        return scalars;
    }

    private void Write(string tag, double value, int step) =>
        writer!.add_scalar(tag, (float)value, step, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
}
