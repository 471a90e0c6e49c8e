using System.IO;
using System.Linq;
using DeclCnn.Generators.Tests.Infrastructure;
using Xunit;

namespace DeclCnn.Generators.Tests;

/// <summary>The generated code for every sample network, compared with its reviewed snapshot.</summary>
public class SampleSnapshotTests
{
    public static TheoryData<string> Samples => new(Directory.GetFiles(RepositoryPaths.Samples, "*.cs").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_generates_the_reviewed_code_and_compiles_without_warnings(string file)
    {
        var result = GeneratorHarness.Run(File.ReadAllText(Path.Combine(RepositoryPaths.Samples, file)));

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
        var models = result.GeneratedSources.Where(static s => s.HintName.StartsWith("DeclCnn.Samples.", System.StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(models);
        foreach (var model in models)
        {
            Snapshot.Match(model.HintName.Replace(".g.cs", string.Empty, System.StringComparison.Ordinal), model.SourceText.ToString());
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
