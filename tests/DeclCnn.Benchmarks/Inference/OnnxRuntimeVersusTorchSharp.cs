using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Interchange.Onnx;
using DeclCnn.Samples;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace DeclCnn.Benchmarks.Inference;

/// <summary>
/// Inference throughput of the same network, with the same weights, in ONNX Runtime (the exported graph, default
/// session options) and in TorchSharp eager mode (eval, no_grad), at batch sizes 1 and 256. Both keep their default
/// thread counts, as users run them. The contenders alternate within each round so the load of a shared machine
/// drifts over both alike; the report is images per second per round and the median ratio. Each measurement runs at
/// least <see cref="MinimumSeconds"/> after a warm-up, which BenchmarkDotNet would repeat many times over.
/// </summary>
internal static class OnnxRuntimeVersusTorchSharp
{
    private const double MinimumSeconds = 2.0;
    private static readonly long[] BatchSizes = [1, 256];

    /// <summary>Runs <paramref name="rounds"/> rounds over both networks and batch sizes; writes the table to <paramref name="output"/>.</summary>
    public static void Run(int rounds, TextWriter output)
    {
        output.WriteLine($"torch threads: {get_num_threads()}, processors: {Environment.ProcessorCount}, ONNX Runtime {OrtEnv.Instance().GetVersionString()}");
        output.WriteLine();
        output.WriteLine("| network | batch | TorchSharp images/s (per round) | ONNX Runtime images/s (per round) | ONNX Runtime / TorchSharp, median |");
        output.WriteLine("|---|---|---|---|---|");
        using (var network = new SimpleCnn())
        {
            Measure(output, rounds, nameof(SimpleCnn), network, path => network.ExportOnnx(path), [1, 28, 28]);
        }

        using (var network = new Cifar10Net())
        {
            Measure(output, rounds, nameof(Cifar10Net), network, path => network.ExportOnnx(path), [3, 32, 32]);
        }
    }

    /// <summary>Measures <paramref name="network"/> against its declaration's ONNX export.</summary>
    private static void Measure(TextWriter output, int rounds, string name, nn.Module<Tensor, Tensor> network, Action<string> exportOnnx, long[] inputShape)
    {
        network.eval();
        string path = Path.Combine(Path.GetTempPath(), $"declcnn-benchmark-{Guid.NewGuid():N}.onnx");
        try
        {
            exportOnnx(path);
            using var session = new InferenceSession(path);
            foreach (long batch in BatchSizes)
            {
                manual_seed(0);
                using Tensor input = randn([batch, .. inputShape]);
                using var ortInput = OrtValue.CreateTensorValueFromMemory(input.data<float>().ToArray(), input.shape);
                var torch = new List<double>();
                var onnx = new List<double>();
                for (int round = 0; round < rounds; round++)
                {
                    torch.Add(ImagesPerSecond(batch, () => TorchSharpForward(network, input)));
                    onnx.Add(ImagesPerSecond(batch, () => OnnxRuntimeForward(session, ortInput)));
                }

                double ratio = Median(onnx.Zip(torch, static (o, t) => o / t).ToList());
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {name} | {batch} | {Format(torch)} | {Format(onnx)} | {ratio:0.00} |"));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void TorchSharpForward(nn.Module<Tensor, Tensor> network, Tensor input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        network.call(input);
    }

    private static void OnnxRuntimeForward(InferenceSession session, OrtValue input)
    {
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [OnnxGraphBuilder.InputName], [input], [OnnxGraphBuilder.OutputName]);
    }

    /// <summary>Images per second over at least <see cref="MinimumSeconds"/>, after two warm-up calls.</summary>
    private static double ImagesPerSecond(long batch, Action forward)
    {
        forward();
        forward();
        long calls = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < MinimumSeconds)
        {
            forward();
            calls++;
        }

        return calls * batch / clock.Elapsed.TotalSeconds;
    }

    private static string Format(List<double> values) =>
        string.Join(", ", values.Select(static v => v.ToString("0", CultureInfo.InvariantCulture)));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
