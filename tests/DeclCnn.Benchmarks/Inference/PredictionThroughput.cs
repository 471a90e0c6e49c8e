using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Native;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Inference;
using DeclCnn.Samples;
using static TorchSharp.torch;

namespace DeclCnn.Benchmarks.Inference;

/// <summary>
/// Images per second of <see cref="Classifier"/> for SimpleCnn on each engine (TorchSharp, and ONNX Runtime over the
/// declaration's export), at batch 1 and 256: the whole prediction (normalization, the network, softmax and top-5)
/// from a uint8 batch, and the engine alone on an already normalized batch. Weights do not change the work, so the
/// network is freshly initialized. Both engines keep their default thread counts. Each round times every contender for about a second, alternating, so load
/// drift on a shared machine spreads over all of them; the report is each round's figure and the median. A harness
/// rather than a BenchmarkDotNet suite, like <see cref="Training.EpochVersusHandLoop"/>: the figure wanted is
/// throughput in images per second.
/// </summary>
internal static class PredictionThroughput
{
    private static readonly int[] BatchSizes = [1, 256];

    /// <summary>Runs <paramref name="rounds"/> rounds and writes the table to <paramref name="output"/>.</summary>
    public static void Run(int rounds, TextWriter output)
    {
        TorchSharpNative.EnsureLoaded();
        output.WriteLine($"torch threads: {get_num_threads()}, processors: {Environment.ProcessorCount}, ONNX Runtime {Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()}");
        manual_seed(0);
        using var model = new SimpleCnn();
        var info = new ModelInfo(SimpleCnn.Summary.InputShape, FashionMnist.Info.ClassNames, new ChannelStatistics([0.2860f], [0.3530f]));
        var figures = new Dictionary<string, List<double>>();
        var contenders = new List<(string Name, int Batch, Action Once)>();
        var random = new Random(0);
        foreach (int batch in BatchSizes)
        {
            byte[] pixels = new byte[batch * 784];
            random.NextBytes(pixels);
            Tensor images = tensor(pixels, [batch, 1, 28, 28]);
            float[] normalized = pixels.Select(static p => ((p / 255f) - 0.2860f) / 0.3530f).ToArray();
            var options = new ClassifierOptions { BatchSize = batch };
            IInferenceEngine[] engines = [new TorchSharpEngine(model, info.InputShape), OnnxRuntimeEngine.Load(model.ToOnnx(info), nameof(SimpleCnn))];
            foreach (IInferenceEngine engine in engines)
            {
                string name = engine is TorchSharpEngine ? "TorchSharp" : "ONNX Runtime";
                var classifier = new Classifier(engine, info, options);
                contenders.Add(($"{name}, Classifier.Predict, batch {batch}", batch, () => classifier.Predict(images)));
                contenders.Add(($"{name}, engine only, batch {batch}", batch, () => engine.Run(normalized, batch)));
            }
        }

        foreach (var (name, _, once) in contenders)
        {
            figures[name] = [];
            for (int i = 0; i < 5; i++)
            {
                once();
            }
        }

        for (int round = 1; round <= rounds; round++)
        {
            foreach (var (name, batch, once) in contenders)
            {
                int images = 0;
                var clock = Stopwatch.StartNew();
                while (clock.Elapsed.TotalSeconds < 1)
                {
                    once();
                    images += batch;
                }

                double perSecond = images / clock.Elapsed.TotalSeconds;
                figures[name].Add(perSecond);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: {name,-45} {perSecond,9:N0} images/s"));
            }
        }

        output.WriteLine();
        output.WriteLine("| contender | " + string.Join(" | ", Enumerable.Range(1, rounds).Select(static r => $"round {r}")) + " | median images/s |");
        output.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", rounds + 1)));
        foreach (var (name, values) in figures)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {string.Join(" | ", values.Select(static v => v.ToString("N0", CultureInfo.InvariantCulture)))} | {Median(values):N0} |"));
        }
    }

    private static double Median(List<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
