using System;
using BenchmarkDotNet.Running;
using DeclCnn.Benchmarks.Generator;

namespace DeclCnn.Benchmarks;

/// <summary>
/// Entry point: pick suites with BenchmarkDotNet's own arguments (e.g. <c>--filter '*Generator*'</c>);
/// <c>--generator-run-reasons</c> prints the incremental step run reasons of the generator benchmark's edits.
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

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
