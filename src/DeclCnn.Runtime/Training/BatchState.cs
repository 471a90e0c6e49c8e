using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training;

/// <summary>
/// The batch the trainer is working on (<see cref="Trainer.Batch"/>): valid during the batch events; the tensors
/// belong to the batch's dispose scope and are null outside it.
/// </summary>
public sealed class BatchState
{
    private double? lossValue;

    /// <summary>The index of the batch in its pass, from 0.</summary>
    public long Index { get; internal set; }

    /// <summary>Whether this is a training batch (false during validation).</summary>
    public bool IsTraining { get; internal set; }

    /// <summary>The number of images in the batch.</summary>
    public int Size { get; internal set; }

    /// <summary>The images on the training device.</summary>
    public Tensor? Images { get; internal set; }

    /// <summary>The labels on the training device.</summary>
    public Tensor? Labels { get; internal set; }

    /// <summary>The logits, after the forward pass.</summary>
    public Tensor? Logits { get; internal set; }

    /// <summary>The mean loss, after the forward pass.</summary>
    public Tensor? Loss { get; internal set; }

    /// <summary>
    /// The mean loss as a number, after the forward pass: read from the device on first use (a host synchronisation,
    /// which waits for the device to finish the batch's work so far), then kept for the rest of the batch.
    /// </summary>
    /// <exception cref="System.InvalidOperationException">Read outside a batch, or before its loss is computed.</exception>
    public double LossValue => lossValue ??= Loss?.item<float>()
        ?? throw new System.InvalidOperationException("BatchState.LossValue is read before the batch's loss is computed (from AfterLoss on).");

    /// <summary>Drops the references to the batch's tensors when its scope ends.</summary>
    internal void Clear() => (Images, Labels, Logits, Loss, lossValue) = (null, null, null, null, null);
}
