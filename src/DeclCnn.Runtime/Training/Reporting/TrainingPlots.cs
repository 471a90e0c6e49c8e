using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace DeclCnn.Runtime.Training.Reporting;

/// <summary>
/// PNG plots of a run's curves, drawn with ScottPlot: <c>loss.png</c> (training and validation loss per epoch),
/// <c>accuracy.png</c> (training and validation top-1, and validation top-5, in percent) and <c>learning_rate.png</c>.
/// </summary>
public static class TrainingPlots
{
    /// <summary>The loss plot's file name.</summary>
    public const string LossFile = "loss.png";

    /// <summary>The accuracy plot's file name.</summary>
    public const string AccuracyFile = "accuracy.png";

    /// <summary>The learning-rate plot's file name.</summary>
    public const string LearningRateFile = "learning_rate.png";

    /// <summary>Writes the three plots into <paramref name="directory"/>, each atomically.</summary>
    /// <param name="history">The epochs to plot (at least one).</param>
    /// <param name="directory">The folder, created if missing.</param>
    /// <param name="learningRates">
    /// The learning rate at finer positions, for per-batch schedules: (position in epochs, where epoch <c>k</c> ends at
    /// <c>k</c> and 2.5 is halfway through the third; rate). Null plots each epoch's last rate from the history.
    /// </param>
    /// <param name="width">Width of each image in pixels. Default: 800.</param>
    /// <param name="height">Height of each image in pixels. Default: 500.</param>
    /// <returns>The paths written.</returns>
    /// <exception cref="ArgumentException">The history has no epoch.</exception>
    public static IReadOnlyList<string> Save(
        TrainingHistory history,
        string directory,
        IReadOnlyList<(double Epoch, double LearningRate)>? learningRates = null,
        int width = 800,
        int height = 500)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (history.Epochs.Count == 0)
        {
            throw new ArgumentException("The history has no epoch to plot.", nameof(history));
        }

        Directory.CreateDirectory(directory);
        var written = new List<string>(3);
        foreach (var (name, plot) in new[] { (LossFile, Loss(history)), (AccuracyFile, Accuracy(history)), (LearningRateFile, LearningRate(history, learningRates)) })
        {
            byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
            string path = Path.Combine(directory, name);
            AtomicFile.Write(path, stream => stream.Write(png));
            written.Add(path);
        }

        return written;
    }

    /// <summary>The loss plot: training and validation loss per epoch.</summary>
    internal static Plot Loss(TrainingHistory history)
    {
        var plot = new Plot();
        double[] epochs = Epochs(history);
        var series = new List<double[]> { Line(plot, epochs, history.Epochs.Select(e => e.Train.Loss), "training") };
        if (history.Epochs.Any(e => e.Validation is not null))
        {
            series.Add(Line(plot, epochs, history.Epochs.Select(e => e.Validation?.Loss ?? double.NaN), "validation"));
        }

        return Finish(plot, "Loss", "loss", EpochRange(history), ValueRange(series, floor: 0, ceiling: double.PositiveInfinity));
    }

    /// <summary>The accuracy plot: training and validation top-1, and validation top-k where there are more than k classes, in percent.</summary>
    internal static Plot Accuracy(TrainingHistory history)
    {
        var plot = new Plot();
        double[] epochs = Epochs(history);
        var series = new List<double[]> { Line(plot, epochs, history.Epochs.Select(e => 100 * e.Train.Top1), "training top-1") };
        if (history.Epochs.Any(e => e.Validation is not null))
        {
            series.Add(Line(plot, epochs, history.Epochs.Select(e => 100 * (e.Validation?.Top1 ?? double.NaN)), "validation top-1"));

            // Top-k is measured only with more than k classes: with fewer, every label is in the top k.
            if (history.Epochs.FirstOrDefault(e => e.Validation?.TopK is not null)?.Validation is { } measured)
            {
                series.Add(Line(plot, epochs, history.Epochs.Select(e => 100 * (e.Validation?.TopK ?? double.NaN)), $"validation top-{measured.K}"));
            }
        }

        return Finish(plot, "Accuracy", "accuracy (%)", EpochRange(history), ValueRange(series, floor: 0, ceiling: 100));
    }

    /// <summary>The learning-rate plot, per step where known, else each epoch's last rate; its axis starts at 0, so a constant rate reads as one.</summary>
    internal static Plot LearningRate(TrainingHistory history, IReadOnlyList<(double Epoch, double LearningRate)>? learningRates)
    {
        var plot = new Plot();
        double[] rates;
        (double Min, double Max) epochs;
        if (learningRates is { Count: > 0 })
        {
            rates = Line(plot, learningRates.Select(p => p.Epoch).ToArray(), learningRates.Select(p => p.LearningRate), "per step", markers: false);
            epochs = (Math.Floor(learningRates.Min(p => p.Epoch)), Math.Ceiling(learningRates.Max(p => p.Epoch)));
        }
        else
        {
            rates = Line(plot, Epochs(history), history.Epochs.Select(e => e.LearningRate), "last step of the epoch");
            epochs = EpochRange(history);
        }

        double highest = rates.Where(double.IsFinite).DefaultIfEmpty(0).Max();
        return Finish(plot, "Learning rate", "learning rate", epochs, (0, highest > 0 ? highest * 1.1 : 1));
    }

    private static double[] Epochs(TrainingHistory history) => history.Epochs.Select(e => (double)e.Epoch).ToArray();

    /// <summary>Half an epoch of margin on each side, so that a single epoch sits in the middle of its own tick.</summary>
    private static (double Min, double Max) EpochRange(TrainingHistory history) =>
        (history.Epochs[0].Epoch - 0.5, history.Epochs[^1].Epoch + 0.5);

    /// <summary>
    /// The finite values' range with a margin, kept inside [<paramref name="floor"/>, <paramref name="ceiling"/>]; a constant series
    /// gets a margin of its own size (or 1 at 0), never the -1..1 a plotting library picks for a flat line.
    /// </summary>
    internal static (double Min, double Max) ValueRange(IEnumerable<double[]> series, double floor, double ceiling)
    {
        double[] values = series.SelectMany(static s => s).Where(double.IsFinite).ToArray();
        if (values.Length == 0)
        {
            return (floor, double.IsFinite(ceiling) ? ceiling : 1);
        }

        double low = values.Min(), high = values.Max();
        double margin = high > low ? (high - low) * 0.08 : Math.Max(Math.Abs(high) * 0.1, 1e-3);
        return (Math.Max(floor, low - margin), Math.Min(ceiling, high + margin));
    }

    private static double[] Line(Plot plot, double[] xs, IEnumerable<double> values, string label, bool markers = true)
    {
        double[] ys = values.ToArray();
        var scatter = plot.Add.Scatter(xs, ys);
        scatter.LegendText = label;
        scatter.LineWidth = 2;

        // Few epochs draw few points: larger markers keep a one- or two-epoch run readable.
        scatter.MarkerSize = !markers ? 0 : xs.Length <= 3 ? 10 : 6;
        return ys;
    }

    internal static Plot Finish(Plot plot, string title, string yLabel, (double Min, double Max) epochs, (double Min, double Max) values)
    {
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimits(epochs.Min, epochs.Max, values.Min, values.Max);
        plot.ShowLegend(Edge.Right);
        return plot;
    }
}

/// <summary>Rewrites the <see cref="TrainingPlots"/> in a folder after every epoch, so a stopped run still has its curves.</summary>
public sealed class PlotsCallback : TrainerCallback
{
    private readonly List<(double Epoch, double LearningRate)> learningRates = [];

    /// <summary>Creates a callback writing into <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder of the PNG files.</param>
    public PlotsCallback(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = directory;
    }

    /// <summary>The folder of the PNG files.</summary>
    public string Directory { get; }

    /// <inheritdoc/>
    public override int Order => Orders.Reporting;

    /// <inheritdoc/>
    public override void BeforeFit(Trainer trainer) => learningRates.Clear();

    /// <inheritdoc/>
    public override void AfterStep(Trainer trainer) =>
        learningRates.Add((trainer.Epoch - 1 + ((trainer.Batch.Index + 1.0) / trainer.TrainBatches.BatchCount), trainer.LearningRate));

    /// <inheritdoc/>
    public override void AfterEpoch(Trainer trainer)
    {
        if (trainer.History.Epochs.Count > 0)
        {
            // After a resume only this process's steps are known; the epochs before it plot from the history instead.
            bool resumed = trainer.StartEpoch > 1;
            TrainingPlots.Save(trainer.History, Directory, resumed ? null : learningRates);
        }
    }
}
