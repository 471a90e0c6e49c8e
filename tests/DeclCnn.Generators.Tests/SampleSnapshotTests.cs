using System;
using System.IO;
using System.Linq;
using DeclCnn.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace DeclCnn.Generators.Tests;

/// <summary>The generated code for every sample network, compared with its reviewed snapshot.</summary>
public class SampleSnapshotTests
{
    public static TheoryData<string> Samples => new(Directory.GetFiles(RepositoryPaths.Samples, "*.cs").Select(Path.GetFileName)!);

    /// <summary>
    /// Samples may use each other's blocks, so all of them are compiled together, as in the samples project, which
    /// references DeclCnn.Runtime: the snapshots include the ONNX export.
    /// </summary>
    private static readonly Lazy<GeneratorHarness.RunResult> AllSamples = new(static () => GeneratorHarness.Run(GeneratorHarness.CreateCompilation(
        Directory.GetFiles(RepositoryPaths.Samples, "*.cs").Order(StringComparer.Ordinal).Select(File.ReadAllText),
        referenceRuntime: true)));

    [Fact]
    public void Samples_compile_without_diagnostics_or_warnings()
    {
        Assert.Empty(AllSamples.Value.DeclCnnDiagnostics);
        Assert.Empty(AllSamples.Value.CompilationDiagnostics);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_generates_the_reviewed_code(string file)
    {
        var declared = CSharpSyntaxTree.ParseText(File.ReadAllText(Path.Combine(RepositoryPaths.Samples, file)))
            .GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Select(static c => $"DeclCnn.Samples.{c.Identifier.ValueText}.g.cs").ToList();
        Assert.NotEmpty(declared);

        foreach (var hintName in declared)
        {
            var generated = AllSamples.Value.GeneratedSources.SingleOrDefault(s => s.HintName == hintName);
            Assert.True(generated.HintName is not null, $"{file}: nothing was generated as {hintName}.");
            Snapshot.Match(hintName.Replace(".g.cs", string.Empty, StringComparison.Ordinal), generated.SourceText.ToString());
        }
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        var source = File.ReadAllText(Path.Combine(RepositoryPaths.Samples, "Vgg16.cs"));

        var first = GeneratorHarness.Run(source).GeneratedSources.Select(static s => s.SourceText.ToString());
        var second = GeneratorHarness.Run(source).GeneratedSources.Select(static s => s.SourceText.ToString());

        Assert.Equal(first, second);
    }
}
