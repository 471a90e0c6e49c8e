using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training;

/// <summary>Classification metrics of one pass over a data set.</summary>
/// <param name="Loss">Mean loss per image (with the run's label smoothing).</param>
/// <param name="Top1">Fraction of images whose highest-scoring class is the label, in [0, 1].</param>
/// <param name="TopK">Fraction whose label is among the <paramref name="K"/> highest-scoring classes; null with <paramref name="K"/> classes or fewer, where every label is.</param>
/// <param name="K">The k of <paramref name="TopK"/> (<see cref="FitOptions.TopK"/>).</param>
/// <param name="Images">The number of images seen.</param>
/// <param name="PerClassAccuracy">For each class, the fraction of its images classified correctly (NaN for a class with no images).</param>
/// <param name="ConfusionMatrix">Counts, row = true class, column = predicted class.</param>
public sealed record ClassificationMetrics(
    double Loss, double Top1, double? TopK, int K, long Images, IReadOnlyList<double> PerClassAccuracy, IReadOnlyList<IReadOnlyList<long>> ConfusionMatrix);

/// <summary>
/// Sums loss, top-k hits and the confusion matrix over batches. The sums stay in tensors on the training device,
/// so accumulating a batch adds no host synchronisation; <see cref="Result"/> reads them once.
/// </summary>
internal sealed class MetricAccumulator : IDisposable
{
    private readonly int classes;
    private readonly int k;
    private readonly Tensor confusion;
    private readonly Tensor topK;
    private readonly Tensor lossSum;
    private long images;

    public MetricAccumulator(int classes, int k, Device device)
    {
        this.classes = classes;
        this.k = k;
        confusion = zeros(classes * (long)classes, ScalarType.Int64, device).DetachFromDisposeScope();
        topK = zeros(1, ScalarType.Int64, device).DetachFromDisposeScope();
        lossSum = zeros(1, ScalarType.Float64, device).DetachFromDisposeScope();
    }

    /// <summary>Adds one batch; call inside the step's dispose scope (temporaries are freed with it).</summary>
    /// <param name="logits">The batch's logits.</param>
    /// <param name="labels">Its labels.</param>
    /// <param name="meanLoss">Its mean loss, a scalar tensor; summed in float64 times the batch size, as a host sum of its value would be.</param>
    public void Add(Tensor logits, Tensor labels, Tensor meanLoss)
    {
        long count = labels.shape[0];
        using (no_grad())
        {
            lossSum.add_(meanLoss.to_type(ScalarType.Float64).mul(count));
            Tensor predicted = logits.argmax(1);
            confusion.add_(labels.mul(classes).add_(predicted).bincount(null, classes * (long)classes));
            if (classes > k)
            {
                topK.add_(logits.topk(k).indexes.eq(labels.unsqueeze(1)).any(1).sum());
            }
        }

        images += count;
    }

    public ClassificationMetrics Result()
    {
        long[] counts;
        long hits;
        double loss;
        using (NewDisposeScope())
        {
            counts = confusion.cpu().data<long>().ToArray();
            hits = topK.cpu().item<long>();
            loss = lossSum.cpu().item<double>();
        }

        var matrix = new IReadOnlyList<long>[classes];
        var perClass = new double[classes];
        long correct = 0;
        for (int row = 0; row < classes; row++)
        {
            matrix[row] = counts.AsSpan(row * classes, classes).ToArray();
            long total = matrix[row].Sum();
            correct += matrix[row][row];
            perClass[row] = total == 0 ? double.NaN : (double)matrix[row][row] / total;
        }

        return images == 0
            ? new ClassificationMetrics(double.NaN, double.NaN, classes > k ? double.NaN : null, k, 0, perClass, matrix)
            : new ClassificationMetrics(loss / images, (double)correct / images, classes > k ? (double)hits / images : null, k, images, perClass, matrix);
    }

    public void Dispose()
    {
        confusion.Dispose();
        topK.Dispose();
        lossSum.Dispose();
    }
}

/// <summary>Whether a metric improves by going down (losses) or up (accuracies).</summary>
internal readonly record struct MetricGoal(bool Minimize)
{
    /// <summary>Names containing "loss" are minimized, all others maximized.</summary>
    public static MetricGoal For(string metric) => new(metric.Contains("loss", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <paramref name="value"/> beats <paramref name="best"/> by more than <paramref name="minDelta"/>.</summary>
    public bool Improves(double value, double best, double minDelta) =>
        Minimize ? value < best - minDelta : value > best + minDelta;
}
