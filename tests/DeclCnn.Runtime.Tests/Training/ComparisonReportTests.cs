using System;
using System.Collections.Generic;
using System.Linq;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Training.Reporting;
using ScottPlot;
using Xunit;

namespace DeclCnn.Runtime.Tests.Training;

/// <summary>
/// The comparison's table gives one row per network with its seeds' mean, standard deviation and range, and its plots
/// overlay one curve per network on whole-epoch ticks, labelled with the network's name and seed count.
/// </summary>
public sealed class ComparisonReportTests
{
    [Fact]
    public void The_table_has_one_row_per_network_with_the_seeds_mean_and_spread()
    {
        ComparedRun[] runs =
        [
            Run("Wide", 0, bestTop1: 0.80, epochs: 3),
            Run("Wide", 1, bestTop1: 0.82, epochs: 3),
            Run("Wide", 2, bestTop1: 0.84, epochs: 3),
            Run("Narrow", 0, bestTop1: 0.75, epochs: 3),
        ];

        string[] rows = ComparisonReport.Table(runs).TrimEnd().Split('\n');

        Assert.Equal(4, rows.Length);
        Assert.Equal("| Wide | 1,234 | 56,789 | 3 | 0, 1, 2 | 2.0 | 1,000 | 82.00 % ± 2.00 (80.00-84.00) | 82.00 % ± 2.00 (80.00-84.00) |", rows[2]);
        Assert.Equal("| Narrow | 1,234 | 56,789 | 3 | 0 | 2.0 | 1,000 | 75.00 % | 75.00 % |", rows[3]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(30)]
    public void Each_plot_overlays_one_labelled_curve_per_network_on_whole_epoch_ticks(int epochs)
    {
        ComparedRun[] runs = [Run("Wide", 0, 0.80, epochs), Run("Wide", 1, 0.84, epochs), Run("Narrow", 0, 0.75, epochs)];

        foreach (Plot plot in new[] { ComparisonReport.Accuracy(runs), ComparisonReport.Loss(runs) })
        {
            plot.GetImageBytes(900, 520, ImageFormat.Png);
            var ticks = plot.Axes.Bottom.TickGenerator.Ticks.Where(static t => t.IsMajor).Select(static t => t.Position).ToList();
            var limits = plot.Axes.GetLimits();

            Assert.Equal(["Wide (2 seeds)", "Narrow"], plot.GetPlottables<ScottPlot.Plottables.Scatter>().Select(static s => s.LegendText).Where(static t => !string.IsNullOrEmpty(t)));
            Assert.NotEmpty(ticks);
            Assert.All(ticks, tick => Assert.Equal(Math.Round(tick), tick, 9));
            Assert.Equal(0.5, limits.Left, 9);
            Assert.Equal(epochs + 0.5, limits.Right, 9);
        }

        var accuracy = ComparisonReport.Accuracy(runs).Axes.GetLimits();
        double lowest = 100 * (0.75 - (0.3 * (epochs - 1) / epochs));
        Assert.InRange(accuracy.Bottom, 0, lowest - 1e-6);
        Assert.InRange(accuracy.Top, 84 + 1e-6, 100);
    }

    [Fact]
    public void A_run_without_test_metrics_is_refused_by_name()
    {
        var history = new TrainingHistory([Record(1, 0.5) with { Validation = null }]);

        var error = Assert.Throws<ArgumentException>(() => ComparisonReport.Table([new ComparedRun("Blind", 1, 1, 7, history)]));

        Assert.Contains("The run of Blind (seed 7) has no test metrics for every epoch.", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A run whose test top-1 climbs to <paramref name="bestTop1"/> in its last epoch.</summary>
    private static ComparedRun Run(string name, ulong seed, double bestTop1, int epochs) =>
        new(name, 1_234, 56_789, seed, new TrainingHistory(Enumerable.Range(1, epochs).Select(e => Record(e, bestTop1 - (0.3 * (epochs - e) / epochs)))));

    private static EpochRecord Record(int epoch, double top1)
    {
        var perClass = Enumerable.Repeat(top1, 10).ToList();
        var confusion = Enumerable.Range(0, 10).Select(_ => (IReadOnlyList<long>)new long[10]).ToList();
        var train = new ClassificationMetrics(1.0 / epoch, top1, null, 5, 1000, perClass, confusion);
        var test = new ClassificationMetrics(1.1 / epoch, top1, null, 5, 500, perClass, confusion);
        return new EpochRecord(epoch, 0.001, train, test, null, 1000, 2, new Dictionary<string, double>());
    }
}
