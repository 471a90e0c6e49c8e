using BenchmarkDotNet.Running;

namespace DeclCnn.Benchmarks;

/// <summary>Entry point: pick suites with BenchmarkDotNet's own arguments (e.g. <c>--filter '*Loader*'</c>).</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
