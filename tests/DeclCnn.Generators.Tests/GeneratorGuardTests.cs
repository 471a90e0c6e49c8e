using System;
using System.Globalization;
using System.Linq;
using DeclCnn.Generators.Diagnostics;
using DeclCnn.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DeclCnn.Generators.Tests;

/// <summary>
/// A generator bug met on one declaration costs only that declaration: it is reported there (DCNN0035), and every
/// other model and block is generated as usual. The bug is stood in for by a probe that throws at one step of one
/// declaration (the generator's test-only constructor); no known declaration makes the generator throw.
/// </summary>
public class GeneratorGuardTests
{
    private const string Source = """
        using DeclCnn;
        namespace App;

        [Block]
        [Conv(Block.Channels, 3, Padding = 1), ReLU]
        public partial class Plain;

        [Block]
        [Conv(Block.Channels, 3, Padding = 1), BatchNorm, ReLU]
        public partial class Failing;

        [Input(1, 28, 28)]
        [Conv(8, 3), Stage<Plain>(8), Flatten, Dense(10)]
        public partial class Other;

        [Input(1, 28, 28)]
        [Flatten, Dense(10)]
        public partial class Broken;
        """;

    [Theory]
    [InlineData("Read", "App.Broken", "reading its declaration")]
    [InlineData("Check", "App.Broken", "checking its layers")]
    [InlineData("Write", "App.Broken", "writing its code")]
    [InlineData("Read", "App.Failing", "reading its declaration")]
    [InlineData("Check", "App.Failing", "checking its layers")]
    [InlineData("Write", "App.Failing", "writing its code")]
    public void A_failure_on_one_declaration_is_reported_there_and_the_others_are_generated(string stepName, string failing, string during)
    {
        var step = Enum.Parse<GeneratorStep>(stepName);
        var generator = new DeclCnnGenerator((at, declaration) =>
        {
            if (at == step && declaration == failing)
            {
                throw new InvalidOperationException("a bug");
            }
        });

        var result = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { Source }, referenceRuntime: true), generator);

        var diagnostic = Assert.Single(result.DeclCnnDiagnostics);
        Assert.Equal("DCNN0035", diagnostic.Id);
        Assert.Equal(
            $"The DeclCnn generator failed on '{failing}' while {during} (InvalidOperationException: a bug); the other declarations are generated as usual; please report this with the declaration",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
        var name = failing.Substring("App.".Length);

        // Read and checked declarations are located at their class name or [Input]; the written model holds no location.
        var expectsLocation = step != GeneratorStep.Write || failing == "App.Failing";
        Assert.Equal(expectsLocation, diagnostic.Location.IsInSource);

        // The other declarations are generated as usual, and everything compiles.
        Assert.Contains("private readonly global::TorchSharp.Modules.Linear", result.Source("App.Other.g.cs"), StringComparison.Ordinal);
        Assert.Contains("public Plain(long inChannels, long channels, long stride = 1", result.Source("App.Plain.g.cs"), StringComparison.Ordinal);
        Assert.Empty(result.CompilationDiagnostics);

        // Where the failed declaration is known to be extendable, it gets a stand-in naming DCNN0035; after a failure to read it, nothing.
        var standIn = result.GeneratedSources.SingleOrDefault(s => s.HintName == $"App.{name}.g.cs").SourceText?.ToString();
        if (step == GeneratorStep.Read)
        {
            Assert.Null(standIn);
        }
        else
        {
            Assert.Contains($"\"{name} cannot be used: its declaration has the error DCNN0035 (Internal generator error); see the build's error list.\"", standIn, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_cancelled_run_is_not_reported_as_a_failure()
    {
        var generator = new DeclCnnGenerator(static (_, _) => throw new OperationCanceledException());

        var run = GeneratorHarness.CreateDriver(generator).RunGenerators(GeneratorHarness.CreateCompilation(new[] { Source })).GetRunResult().Results.Single();

        Assert.IsAssignableFrom<OperationCanceledException>(run.Exception);
        Assert.DoesNotContain(run.Diagnostics, static d => d.Id == "DCNN0035");
    }
}
