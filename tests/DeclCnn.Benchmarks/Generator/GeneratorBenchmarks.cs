extern alias DeclCnnGenerators;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using DeclCnnGenerators::DeclCnn.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace DeclCnn.Benchmarks.Generator;

/// <summary>
/// The generator on a compilation with 100 declared networks, as an IDE runs it: a cold run, an
/// edit inside one declaration (only that model is re-emitted), and an edit in an unrelated file
/// (nothing is re-emitted). Each edit starts from the same warm driver and a fresh compilation.
/// The floor is the same unrelated edit under a generator that only finds the <c>[Input]</c> classes:
/// the cost of Roslyn re-binding the attributes of every model on a new compilation, which any
/// attribute-driven generator pays.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private const int Models = 100;
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private CSharpCompilation compilation = null!;
    private GeneratorDriver warmDriver = null!;
    private GeneratorDriver warmFloorDriver = null!;
    private SyntaxTree firstModel = null!;
    private SyntaxTree unrelated = null!;

    [GlobalSetup]
    public void Setup()
    {
        var trees = Enumerable.Range(0, Models).Select(static i => Parse(Model(i), $"Model{i}.cs")).ToList();
        trees.Add(Parse("namespace Bench; public static class Helpers { public static int Twice(int x) => x * 2; }", "Helpers.cs"));
        compilation = CSharpCompilation.Create("Bench", trees, References(), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        firstModel = trees[0];
        unrelated = trees[^1];
        warmDriver = CreateDriver(new DeclCnnGenerator()).RunGenerators(compilation);
        warmFloorDriver = CreateDriver(new InputClassFinder()).RunGenerators(compilation);
    }

    /// <summary>A fresh driver on a fresh compilation (Clone drops the semantic caches, as the edits' new compilations have none).</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver ColdRun() => CreateDriver(new DeclCnnGenerator()).RunGenerators(compilation.Clone());

    [Benchmark]
    public GeneratorDriver EditInsideOneModel() =>
        warmDriver.RunGenerators(compilation.ReplaceSyntaxTree(firstModel, Edit(firstModel, "Dense(10)", "Dense(12)")));

    [Benchmark]
    public GeneratorDriver EditUnrelatedFile() =>
        warmDriver.RunGenerators(compilation.ReplaceSyntaxTree(unrelated, Edit(unrelated, "x * 2", "x * 3")));

    [Benchmark]
    public GeneratorDriver FloorUnrelatedEdit() =>
        warmFloorDriver.RunGenerators(compilation.ReplaceSyntaxTree(unrelated, Edit(unrelated, "x * 2", "x * 3")));

    /// <summary>The step run reasons of each edit, for the report (Program: --generator-run-reasons).</summary>
    public IEnumerable<string> RunReasons()
    {
        Setup();
        foreach (var (name, edited) in new[]
        {
            ("edit inside one model", compilation.ReplaceSyntaxTree(firstModel, Edit(firstModel, "Dense(10)", "Dense(12)"))),
            ("edit in an unrelated file", compilation.ReplaceSyntaxTree(unrelated, Edit(unrelated, "x * 2", "x * 3"))),
        })
        {
            var result = CreateDriver(new DeclCnnGenerator(), trackSteps: true).RunGenerators(compilation).RunGenerators(edited).GetRunResult().Results.Single();
            foreach (var (step, runs) in result.TrackedSteps.Where(static s => !s.Key.StartsWith("Compilation", StringComparison.Ordinal)).OrderBy(static s => s.Key, StringComparer.Ordinal))
            {
                var reasons = runs.SelectMany(static r => r.Outputs).GroupBy(static o => o.Reason).Select(static g => $"{g.Key} x{g.Count()}");
                yield return $"{name}: {step}: {string.Join(", ", reasons)}";
            }
        }
    }

    private static string Model(int i) => $$"""
        using DeclCnn;
        namespace Bench;

        [Input(3, 32, 32)]
        [Conv({{16 + i}}, 3, Padding = 1, Bias = false), BatchNorm, ReLU, MaxPool(2)]
        [Conv({{32 + i}}, 3, Padding = 1), ReLU, MaxPool(2)]
        [Conv({{64 + i}}, 3, Padding = "same"), ReLU, GlobalAvgPool]
        [Flatten, Dropout(0.5), Dense(10)]
        public partial class Net{{i}};
        """;

    private static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    private static SyntaxTree Edit(SyntaxTree tree, string from, string to)
    {
        var text = tree.GetText();
        var at = text.ToString().IndexOf(from, StringComparison.Ordinal);
        return tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(at, from.Length), to)));
    }

    /// <summary>Step tracking only for the run reasons: an IDE runs generators without it.</summary>
    private static CSharpGeneratorDriver CreateDriver(IIncrementalGenerator generator, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { generator.AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>The least an attribute-driven generator does: find the <c>[Input]</c> classes and keep their names.</summary>
    private sealed class InputClassFinder : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var names = context.SyntaxProvider.ForAttributeWithMetadataName(
                "DeclCnn.InputAttribute",
                static (_, _) => true,
                static (syntax, _) => syntax.TargetSymbol.Name);
            context.RegisterSourceOutput(names, static (_, _) => { });
        }
    }

    private static IEnumerable<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(static path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "netstandard.dll")
            .Append(typeof(InputAttribute).Assembly.Location)
            .Append(typeof(TorchSharp.torch).Assembly.Location)
            .Select(static path => MetadataReference.CreateFromFile(path));
}
