using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using DeclCnn.Runtime.Data;
using ScottPlot;

namespace DeclCnn.Runtime.Training.Reporting;

/// <summary>One finished run of a comparison: the network (or variant) it trained, its size, its seed and its history.</summary>
/// <param name="Name">The network's name; runs with the same name are the seeds of one entry.</param>
/// <param name="Parameters">The network's parameter count.</param>
/// <param name="MultiplyAdds">The network's multiply-adds per image.</param>
/// <param name="Seed">The seed of the weights, the data order and the augmentation.</param>
/// <param name="History">The run's epochs, each with its test (validation) metrics.</param>
public sealed record ComparedRun(string Name, long Parameters, long MultiplyAdds, ulong Seed, TrainingHistory History);

/// <summary>
/// The report of runs trained on the same data with the same recipe: a Markdown table (<c>comparison.md</c>) with one
/// row per network, its seeds' mean and spread, and two PNG plots with every network's curves overlaid
/// (<c>comparison_accuracy.png</c>: test top-1; <c>comparison_loss.png</c>: test loss solid, training loss dashed).
/// With several seeds a curve is the seeds' mean and a shaded band their range.
/// </summary>
public static class ComparisonReport
{
    /// <summary>The table's file name.</summary>
    public const string TableFile = "comparison.md";

    /// <summary>The accuracy plot's file name.</summary>
    public const string AccuracyFile = "comparison_accuracy.png";

    /// <summary>The loss plot's file name.</summary>
    public const string LossFile = "comparison_loss.png";

    /// <summary>Writes the table and the two plots into <paramref name="directory"/>, each atomically.</summary>
    /// <param name="runs">The runs, each with at least one epoch measured on test data.</param>
    /// <param name="directory">The folder, created if missing.</param>
    /// <param name="heading">A line above the table saying what was compared (data, recipe), or null.</param>
    /// <returns>The paths written.</returns>
    /// <exception cref="ArgumentException">No run, or a run without test metrics.</exception>
    public static IReadOnlyList<string> Save(IReadOnlyList<ComparedRun> runs, string directory, string? heading = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Check(runs);
        Directory.CreateDirectory(directory);
        string table = Path.Combine(directory, TableFile);
        AtomicFile.Write(table, stream => stream.Write(Encoding.UTF8.GetBytes((heading is null ? string.Empty : heading + "\n\n") + Table(runs))));
        var written = new List<string> { table };
        foreach (var (name, plot) in new[] { (AccuracyFile, Accuracy(runs)), (LossFile, Loss(runs)) })
        {
            byte[] png = plot.GetImageBytes(900, 520, ImageFormat.Png);
            string path = Path.Combine(directory, name);
            AtomicFile.Write(path, stream => stream.Write(png));
            written.Add(path);
        }

        return written;
    }

    /// <summary>
    /// The Markdown table, one row per network in the order of the runs: parameters, multiply-adds per image, mean seconds
    /// per epoch (validation included) and training images per second, best and final test top-1. With more than one seed
    /// the accuracies read "mean ± standard deviation (min-max)" over the seeds.
    /// </summary>
    public static string Table(IReadOnlyList<ComparedRun> runs)
    {
        Check(runs);
        var text = new StringBuilder();
        text.Append("| Network | Parameters | Multiply-adds | Epochs | Seeds | s/epoch | Images/s | Best test top-1 | Final test top-1 |\n");
        text.Append("|---|--:|--:|--:|---|--:|--:|--:|--:|\n");
        foreach (var group in Groups(runs))
        {
            ComparedRun first = group[0];
            var epochs = group.SelectMany(static r => r.History.Epochs).ToList();
            text.Append(CultureInfo.InvariantCulture, $"| {first.Name} | {first.Parameters:N0} | {first.MultiplyAdds:N0} | {EpochCounts(group)} | {string.Join(", ", group.Select(static r => r.Seed))} ")
                .Append(CultureInfo.InvariantCulture, $"| {epochs.Average(static e => e.Seconds):0.0} | {epochs.Average(static e => e.ImagesPerSecond):N0} ")
                .Append(CultureInfo.InvariantCulture, $"| {Spread(group.Select(static r => BestTop1(r.History)).ToList())} | {Spread(group.Select(static r => r.History.Last!.Validation!.Top1).ToList())} |\n");
        }

        return text.ToString();
    }

    /// <summary>The best test top-1 of a run, over its epochs.</summary>
    public static double BestTop1(TrainingHistory history) => history.Epochs.Max(static e => e.Validation!.Top1);

    /// <summary>Test top-1 per epoch, in percent, one curve per network.</summary>
    internal static Plot Accuracy(IReadOnlyList<ComparedRun> runs) =>
        Curves(runs, "Test accuracy", "test top-1 (%)", static e => 100 * e.Validation!.Top1, floor: 0, ceiling: 100, training: null);

    /// <summary>Test loss per epoch (solid) and training loss (dashed, same color), one pair per network.</summary>
    internal static Plot Loss(IReadOnlyList<ComparedRun> runs) =>
        Curves(runs, "Loss (solid: test, dashed: training)", "loss", static e => e.Validation!.Loss, floor: 0, ceiling: double.PositiveInfinity, training: static e => e.Train.Loss);

    private static Plot Curves(
        IReadOnlyList<ComparedRun> runs, string title, string yLabel, Func<EpochRecord, double> metric, double floor, double ceiling, Func<EpochRecord, double>? training)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var series = new List<double[]>();
        var groups = Groups(runs);
        for (int i = 0; i < groups.Count; i++)
        {
            Color color = palette.GetColor(i);
            series.AddRange(Curve(plot, groups[i], metric, color, groups[i][0].Name, dashed: false));
            if (training is not null)
            {
                series.AddRange(Curve(plot, groups[i], training, color, label: null, dashed: true));
            }
        }

        int lastEpoch = runs.Max(static r => r.History.Epochs[^1].Epoch);
        return TrainingPlots.Finish(plot, title, yLabel, (0.5, lastEpoch + 0.5), TrainingPlots.ValueRange(series, floor, ceiling));
    }

    /// <summary>The seeds' mean per epoch as a line, and with several seeds their range as a band of the same color.</summary>
    private static IEnumerable<double[]> Curve(Plot plot, List<ComparedRun> group, Func<EpochRecord, double> metric, Color color, string? label, bool dashed)
    {
        int epochs = group.Min(static r => r.History.Epochs.Count);
        double[] xs = group[0].History.Epochs.Take(epochs).Select(static e => (double)e.Epoch).ToArray();
        double[][] perSeed = group.Select(r => r.History.Epochs.Take(epochs).Select(metric).ToArray()).ToArray();
        double[] mean = Enumerable.Range(0, epochs).Select(i => perSeed.Average(s => s[i])).ToArray();
        if (group.Count > 1)
        {
            double[] low = Enumerable.Range(0, epochs).Select(i => perSeed.Min(s => s[i])).ToArray();
            double[] high = Enumerable.Range(0, epochs).Select(i => perSeed.Max(s => s[i])).ToArray();
            var band = plot.Add.FillY(xs, low, high);
            band.FillColor = color.WithAlpha(dashed ? 0.08 : 0.18);
            band.LineWidth = 0;
            yield return low;
            yield return high;
        }

        var line = plot.Add.Scatter(xs, mean);
        line.Color = color;
        line.LineWidth = dashed ? 1.5f : 2.5f;
        line.LinePattern = dashed ? LinePattern.Dashed : LinePattern.Solid;
        line.MarkerSize = dashed ? 0 : epochs <= 3 ? 10 : 5;
        if (label is not null)
        {
            line.LegendText = group.Count > 1 ? $"{label} ({group.Count} seeds)" : label;
        }

        yield return mean;
    }

    /// <summary>The runs by network, in the order each network first appears.</summary>
    private static List<List<ComparedRun>> Groups(IReadOnlyList<ComparedRun> runs) =>
        runs.GroupBy(static r => r.Name, StringComparer.Ordinal).Select(static g => g.ToList()).ToList();

    private static string EpochCounts(List<ComparedRun> group)
    {
        var counts = group.Select(static r => r.History.Epochs.Count).Distinct().ToList();
        return string.Join("/", counts);
    }

    /// <summary>One accuracy in percent, or for several seeds "mean ± sample standard deviation (min-max)".</summary>
    private static string Spread(List<double> values)
    {
        if (values.Count == 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{100 * values[0]:0.00} %");
        }

        double mean = values.Average();
        double deviation = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return string.Create(CultureInfo.InvariantCulture, $"{100 * mean:0.00} % ± {100 * deviation:0.00} ({100 * values.Min():0.00}-{100 * values.Max():0.00})");
    }

    private static void Check(IReadOnlyList<ComparedRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("There is no run to compare.", nameof(runs));
        }

        if (runs.FirstOrDefault(static r => r.History.Epochs.Count == 0 || r.History.Epochs.Any(static e => e.Validation is null)) is { } unmeasured)
        {
            throw new ArgumentException($"The run of {unmeasured.Name} (seed {unmeasured.Seed}) has no test metrics for every epoch.", nameof(runs));
        }
    }
}
