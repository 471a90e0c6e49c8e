using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training;

/// <summary>
/// The batch the trainer is working on (<see cref="Trainer.Batch"/>): valid during the batch events; the tensors
/// belong to the batch's dispose scope and are null outside it.
/// </summary>
public sealed class BatchState
{
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

    /// <summary>The mean loss as a number (read once per batch).</summary>
    public double LossValue { get; internal set; }

    /// <summary>Drops the references to the batch's tensors when its scope ends.</summary>
    internal void Clear() => (Images, Labels, Logits, Loss) = (null, null, null, null);
}
