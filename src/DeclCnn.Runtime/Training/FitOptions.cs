using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training;

/// <summary>Settings of <see cref="Trainer.Fit"/>; the defaults train one epoch with Adam (lr 1e-3) on batches of 64.</summary>
public sealed record FitOptions
{
    /// <summary>The number of passes over the training set; at least 1.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Images per training and evaluation batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Seeds torch (dropout, and any initialisation done during training) and the batch order.</summary>
    public long Seed { get; init; }

    /// <summary>The device to train on; null means the CPU. The model is moved there.</summary>
    public Device? Device { get; init; }
}
