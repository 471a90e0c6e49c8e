using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using DeclCnn.Benchmarks.Data;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Native;
using DeclCnn.Runtime.Training;
using DeclCnn.Samples;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Benchmarks.Training;

/// <summary>
/// The levers that could make the trainer's defaults faster than a hand-written loop on the CPU, each against the
/// defaults, on two workloads: SimpleCnn on Fashion-MNIST and Cifar10Net on random images of CIFAR's shape (no CIFAR
/// data is reachable here; the time of a step does not depend on the pixels). Every lever is a real option of the
/// trainer or loader. A training lever is timed over the training pass (Adam 1e-3, batch 64, one pass over a
/// subset of the training images); an evaluation lever over the evaluation pass (<see cref="Trainer.Evaluate()"/>).
/// Torch keeps its default thread count. Contenders alternate within a round, the order rotating from round to
/// round; each lever's ratio (lever / defaults, seconds) is the median over the rounds.
/// </summary>
internal static class LeversVersusDefaults
{
    private const int BatchSize = 64;

    // One round of every lever on both workloads should take two to three minutes on an idle 2-core machine (estimated).
    private const int FashionMnistTrainImages = 20_000;
    private const int CifarTrainImages = 1_000;
    private const int CifarTestImages = 1_000;

    /// <summary>Runs <paramref name="rounds"/> rounds and writes the per-run times and the ratio table to <paramref name="output"/>.</summary>
    /// <param name="rounds">Rounds of every lever on both workloads.</param>
    /// <param name="share">The share of the usual image counts to use, in (0, 1]: below 1 for a loaded machine, where a full round takes too long.</param>
    /// <param name="output">Receives the lines.</param>
    public static void Run(int rounds, double share, TextWriter output)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(share, 1);
        int Scaled(long count) => (int)Math.Max(4 * BatchSize, count * share);
        TorchSharpNative.EnsureLoaded();
        using TrainTestSplit fashion = FashionMnist.Load(progress: output.WriteLine);
        using ImageDataset fashionTrain = fashion.Train.RandomSubset(Scaled(FashionMnistTrainImages), seed: 1);
        using ImageDataset fashionTest = fashion.Test.RandomSubset(Scaled(fashion.Test.Count), seed: 2);
        using ImageDataset cifarTrain = SyntheticData.Create(SyntheticData.CifarShape, Scaled(CifarTrainImages), seed: 1);
        using ImageDataset cifarTest = SyntheticData.Create(SyntheticData.CifarShape, Scaled(CifarTestImages), seed: 2);
        Workload[] workloads =
        [
            new("SimpleCnn, Fashion-MNIST", static () => new SimpleCnn(), fashionTrain, fashionTest),
            new("Cifar10Net, CIFAR-shaped", static () => new Cifar10Net(), cifarTrain, cifarTest),
        ];
        Lever[] levers =
        [
            new("defaults (training)", Pass.Training, new FitOptions(), BatchLoader.DefaultEvaluationBatchSize),
            new("channels-last", Pass.Training, new FitOptions { ChannelsLast = true }, BatchLoader.DefaultEvaluationBatchSize),
            new("loss read once per pass", Pass.Training, new FitOptions { CheckLossEveryStep = false }, BatchLoader.DefaultEvaluationBatchSize),
            new("gradients set to none", Pass.Training, new FitOptions { SetGradientsToNone = true }, BatchLoader.DefaultEvaluationBatchSize),
            new("all three", Pass.Training, new FitOptions { ChannelsLast = true, CheckLossEveryStep = false, SetGradientsToNone = true }, BatchLoader.DefaultEvaluationBatchSize),
            new($"defaults (evaluation, batch {BatchLoader.DefaultEvaluationBatchSize})", Pass.Evaluation, new FitOptions(), BatchLoader.DefaultEvaluationBatchSize),
            new("evaluation batch 512", Pass.Evaluation, new FitOptions(), 512),
            new("evaluation batch 1024", Pass.Evaluation, new FitOptions(), 1024),
            new("evaluation channels-last", Pass.Evaluation, new FitOptions { ChannelsLast = true }, BatchLoader.DefaultEvaluationBatchSize),
        ];

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"torch threads: {get_num_threads()}, interop threads: {get_num_interop_threads()}, processors: {Environment.ProcessorCount}; training passes over {fashionTrain.Count:N0} Fashion-MNIST / {cifarTrain.Count:N0} CIFAR-shaped images, evaluation over {fashionTest.Count:N0} / {cifarTest.Count:N0}"));
        foreach (Workload workload in workloads)
        {
            // Untimed: the first convolutions of a process pay for oneDNN's kernel selection and the JIT.
            using ImageDataset warmUp = workload.Train.RandomSubset(4 * BatchSize, seed: 3);
            Measure(workload with { Train = warmUp, Test = warmUp }, levers[0]);
        }

        var seconds = workloads.ToDictionary(static w => w.Name, _ => levers.ToDictionary(static l => l.Name, static _ => new List<double>()));
        for (int round = 1; round <= rounds; round++)
        {
            foreach (Workload workload in workloads)
            {
                // Each round starts with the next lever, so that none always runs right after the same other one.
                int shift = (round - 1) % levers.Length;
                foreach (Lever lever in levers.Skip(shift).Concat(levers.Take(shift)))
                {
                    Measurement measured = Measure(workload, lever);
                    seconds[workload.Name][lever.Name].Add(measured.Seconds);
                    output.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"round {round}: {workload.Name}, {lever.Name,-32} {measured.Seconds,7:0.00} s, {measured.Images / measured.Seconds,7:N0} images/s, loss {measured.Loss:0.000000}"));
                }
            }
        }

        output.WriteLine();
        output.WriteLine("| workload | lever | pass | seconds per round | ratio per round (lever / defaults) | median ratio |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (Workload workload in workloads)
        {
            foreach (Lever lever in levers)
            {
                List<double> mine = seconds[workload.Name][lever.Name];
                List<double> baseline = seconds[workload.Name][levers.First(l => l.Pass == lever.Pass).Name];
                var ratios = mine.Zip(baseline, static (m, b) => m / b).ToList();
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {workload.Name} | {lever.Name} | {lever.Pass.ToString().ToLowerInvariant()} | {Join(mine, "0.00")} | {Join(ratios, "0.000")} | {Median(ratios):0.000} |"));
            }
        }
    }

    /// <summary>One pass of <paramref name="lever"/> on a fresh model, seeded alike for every lever; its seconds exclude loading and the model's creation.</summary>
    private static Measurement Measure(Workload workload, Lever lever)
    {
        manual_seed(0);
        using nn.Module<Tensor, Tensor> model = workload.CreateModel();
        var clock = new PassClock();
        var evaluation = BatchLoader.ForEvaluation(workload.Test, lever.EvaluationBatchSize);
        if (lever.Pass == Pass.Evaluation)
        {
            using var evaluator = new Trainer(model, evaluation, evaluation, lever.Options, [clock]);
            ClassificationMetrics metrics = evaluator.Evaluate();
            return new Measurement(clock.EvaluationSeconds, metrics.Images, metrics.Loss);
        }

        var train = new BatchLoader(workload.Train, new LoaderOptions { BatchSize = BatchSize });
        using var trainer = new Trainer(model, train, validation: null, lever.Options with { Optimizer = new AdamSettings { LearningRate = 1e-3 } }, [clock]);
        EpochRecord record = trainer.Fit().Last;
        return new Measurement(clock.TrainingSeconds, record.Train.Images, record.Train.Loss);
    }

    private static string Join(IEnumerable<double> values, string format) =>
        string.Join(", ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private enum Pass
    {
        Training,
        Evaluation,
    }

    private sealed record Workload(string Name, Func<nn.Module<Tensor, Tensor>> CreateModel, ImageDataset Train, ImageDataset Test);

    private sealed record Lever(string Name, Pass Pass, FitOptions Options, int EvaluationBatchSize);

    private sealed record Measurement(double Seconds, long Images, double Loss);

    /// <summary>Times the training pass (from its first batch to the end of its last, the loss check included) and the evaluation pass.</summary>
    private sealed class PassClock : TrainerCallback
    {
        private readonly Stopwatch clock = new();

        public double TrainingSeconds { get; private set; }

        public double EvaluationSeconds { get; private set; }

        // After the built-in callbacks, so that what they do at the end of a pass is timed with it.
        public override int Order => int.MaxValue;

        public override void BeforeEpoch(Trainer trainer) => clock.Restart();

        public override void BeforeValidation(Trainer trainer) => clock.Restart();

        public override void AfterValidation(Trainer trainer) => EvaluationSeconds = clock.Elapsed.TotalSeconds;

        public override void AfterEpoch(Trainer trainer)
        {
            if (trainer.ValidationBatches is null)
            {
                TrainingSeconds = clock.Elapsed.TotalSeconds;
            }
        }
    }
}
