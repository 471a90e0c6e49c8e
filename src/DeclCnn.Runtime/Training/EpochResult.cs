using System;
using System.Globalization;

namespace DeclCnn.Runtime.Training;

/// <summary>The outcome of one training epoch.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="TrainLoss">Mean cross-entropy over the epoch's training images.</param>
/// <param name="TestAccuracy">Fraction of test images classified correctly after the epoch, in [0, 1].</param>
/// <param name="ImagesPerSecond">Training throughput (forward, backward and update; evaluation excluded).</param>
/// <param name="Duration">Wall time of the epoch, evaluation included.</param>
public sealed record EpochResult(int Epoch, double TrainLoss, double TestAccuracy, double ImagesPerSecond, TimeSpan Duration)
{
    /// <summary>One log line, e.g. <c>epoch 1: loss 0.4321, test accuracy 88.12%, 5,432 images/s, 14.2 s</c>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"epoch {Epoch}: loss {TrainLoss:0.0000}, test accuracy {TestAccuracy:P2}, {ImagesPerSecond:N0} images/s, {Duration.TotalSeconds:0.0} s");
}
