using System;
using BenchmarkDotNet.Running;
using DeclCnn.Benchmarks.Generator;
using DeclCnn.Benchmarks.Inference;
using DeclCnn.Benchmarks.Training;

namespace DeclCnn.Benchmarks;

/// <summary>
/// Entry point: pick suites with BenchmarkDotNet's own arguments (e.g. <c>--filter '*Generator*'</c>);
/// <c>--generator-run-reasons</c> prints the incremental step run reasons of the generator benchmark's edits;
/// <c>--epoch-vs-hand-loop [rounds]</c> times the main job's epoch against a hand-written loop (default 3 rounds);
/// <c>--levers [rounds] [share]</c> times each speed lever of the trainer and loader against the defaults (default 3 rounds, share 1 of the usual image counts);
/// <c>--onnx-vs-torchsharp [rounds]</c> compares inference throughput in ONNX Runtime and TorchSharp (default 3 rounds).
/// <c>--prediction-throughput [rounds]</c> measures SimpleCnn's images per second on each engine at batch 1 and 256 (default 5 rounds).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["--generator-run-reasons"])
        {
            foreach (var line in new GeneratorBenchmarks().RunReasons())
            {
                Console.WriteLine(line);
            }

            return;
        }

        if (args is ["--epoch-vs-hand-loop", ..])
        {
            EpochVersusHandLoop.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3, Console.Out);
            return;
        }

        if (args is ["--levers", ..])
        {
            LeversVersusDefaults.Run(
                args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3,
                args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1,
                Console.Out);
            return;
        }

        if (args is ["--onnx-vs-torchsharp", ..])
        {
            OnnxRuntimeVersusTorchSharp.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3, Console.Out);
            return;
        }

        if (args is ["--prediction-throughput", ..])
        {
            PredictionThroughput.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5, Console.Out);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
