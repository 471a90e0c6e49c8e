using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Native;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Training.Reporting;
using DeclCnn.Samples;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Benchmarks.Training;

/// <summary>
/// The whole main job's work, end to end, against the minimal hand-written TorchSharp loop a user would write
/// instead: SimpleCnn, one epoch of the 60,000 Fashion-MNIST training images in batches of 64 with Adam (lr 1e-3),
/// then the 10,000 test images evaluated. Torch keeps its default thread count, since that is what users run and
/// where a second thread doing torch work (a prefetching loader) hurts. The contenders alternate within one run, so
/// the machine's load drifts over all of them alike, and the order rotates from round to round; the report is each
/// run's seconds and the median ratio.
/// An epoch-long run is what is measured, so this is a harness rather than a BenchmarkDotNet suite, which would
/// repeat each contender many times in a row.
/// </summary>
internal static class EpochVersusHandLoop
{
    private const int BatchSize = 64;

    /// <summary>Runs <paramref name="rounds"/> rounds of every contender and writes the table to <paramref name="output"/>.</summary>
    public static void Run(int rounds, TextWriter output)
    {
        // The benchmarks reference the generator as a library, so it adds no native-loading initializer here.
        TorchSharpNative.EnsureLoaded();
        using TrainTestSplit data = FashionMnist.Load(progress: output.WriteLine);
        output.WriteLine($"torch threads: {get_num_threads()}, processors: {Environment.ProcessorCount}");
        var contenders = new (string Name, Func<TrainTestSplit, double> Run)[]
        {
            ("hand loop", HandLoop),
            ("Trainer.Fit defaults", TrainerDefaults),
            ("main job with reports", MainJob),
        };

        var seconds = contenders.ToDictionary(static c => c.Name, static _ => new List<double>());
        for (int round = 1; round <= rounds; round++)
        {
            // Each round starts with the next contender, so that none always runs right after the same other one.
            foreach (var (name, run) in contenders.Skip((round - 1) % contenders.Length).Concat(contenders.Take((round - 1) % contenders.Length)))
            {
                var clock = Stopwatch.StartNew();
                double accuracy = run(data);
                double elapsed = clock.Elapsed.TotalSeconds;
                seconds[name].Add(elapsed);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: {name,-22} {elapsed,7:0.0} s, test accuracy {accuracy:P2}"));
            }
        }

        output.WriteLine();
        output.WriteLine("| run | " + string.Join(" | ", Enumerable.Range(1, rounds)) + " | median |");
        output.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---|", rounds + 1)));
        foreach (var (name, times) in seconds)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", times.Select(static t => t.ToString("0.0", CultureInfo.InvariantCulture)))} | {Median(times):0.0} |"));
        }

        Ratio(output, seconds, contenders[1].Name, contenders[0].Name);
        Ratio(output, seconds, contenders[2].Name, contenders[0].Name);
        Ratio(output, seconds, contenders[2].Name, contenders[1].Name);
    }

    private static void Ratio(TextWriter output, Dictionary<string, List<double>> seconds, string name, string baseline)
    {
        var ratios = seconds[name].Zip(seconds[baseline], static (mine, theirs) => mine / theirs).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} / {baseline}, per round: {string.Join(", ", ratios.Select(static r => r.ToString("0.000", CultureInfo.InvariantCulture)))}; median {Median(ratios):0.000}"));
    }

    /// <summary>The minimal loop, returning its test accuracy: shuffled index_select batches normalized by hand, loss read back every step; then evaluation without gradients.</summary>
    private static double HandLoop(TrainTestSplit data)
    {
        manual_seed(0);
        using var model = new SimpleCnn();
        using optim.Optimizer optimizer = optim.Adam(model.parameters(), 1e-3);
        var (mean, std) = (FashionMnist.Info.Normalization.Mean, FashionMnist.Info.Normalization.Std);
        model.train();
        using (Tensor order = randperm(data.Train.Count))
        {
            for (long start = 0; start < data.Train.Count; start += BatchSize)
            {
                using DisposeScope scope = NewDisposeScope();
                Tensor indices = order.narrow(0, start, Math.Min(BatchSize, data.Train.Count - start));
                Tensor images = data.Train.Images.index_select(0, indices).to_type(ScalarType.Float32).div_(255).sub_(mean).div_(std);
                Tensor loss = nn.functional.cross_entropy(model.forward(images), data.Train.Labels.index_select(0, indices));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                loss.item<float>();
            }
        }

        model.eval();
        long correct = 0;
        using (no_grad())
        {
            for (long start = 0; start < data.Test.Count; start += BatchSize)
            {
                using DisposeScope scope = NewDisposeScope();
                long count = Math.Min(BatchSize, data.Test.Count - start);
                Tensor images = data.Test.Images.narrow(0, start, count).to_type(ScalarType.Float32).div_(255).sub_(mean).div_(std);
                correct += model.forward(images).argmax(1).eq(data.Test.Labels.narrow(0, start, count)).sum().item<long>();
            }
        }

        return (double)correct / data.Test.Count;
    }

    /// <summary>What the main job does, minus its reports: the trainer at its defaults.</summary>
    private static double TrainerDefaults(TrainTestSplit data)
    {
        manual_seed(0);
        using var model = new SimpleCnn();
        FitResult result = Trainer.Fit(
            model,
            new BatchLoader(data.Train, new LoaderOptions { BatchSize = BatchSize }),
            BatchLoader.ForEvaluation(data.Test),
            new FitOptions { Optimizer = new AdamSettings { LearningRate = 1e-3 } });
        return result.Last.Validation!.Top1;
    }

    /// <summary>
    /// The main job as README's first command runs it: the trainer with a checkpoint folder (history, last and best
    /// checkpoints) and the reports (progress lines, TensorBoard events, PNG plots, the predictions grid).
    /// </summary>
    private static double MainJob(TrainTestSplit data)
    {
        manual_seed(0);
        using var model = new SimpleCnn();
        string folder = Directory.CreateTempSubdirectory("declcnn-epoch-bench-").FullName;
        try
        {
            TrainerCallback[] reporting =
            [
                new ProgressCallback(),
                new TensorBoardCallback(Path.Combine(folder, "tensorboard")),
                new PlotsCallback(folder),
                new PredictionGridCallback(data.Test, Path.Combine(folder, "predictions.png")),
            ];
            var options = new FitOptions { Optimizer = new AdamSettings { LearningRate = 1e-3 }, OutputDirectory = folder, CheckpointMonitor = "val_top1" };
            using var trainer = new Trainer(
                model, new BatchLoader(data.Train, new LoaderOptions { BatchSize = BatchSize }), BatchLoader.ForEvaluation(data.Test), options, reporting);
            return trainer.Fit().Last.Validation!.Top1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
