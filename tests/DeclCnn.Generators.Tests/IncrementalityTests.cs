using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using DeclCnn.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace DeclCnn.Generators.Tests;

/// <summary>
/// The generator is incremental: edits that do not touch a model leave its pipeline steps cached
/// and re-emit nothing, and editing one model re-emits only that model.
/// </summary>
public class IncrementalityTests
{
    private const string ModelA = """
        using DeclCnn;
        namespace App;

        [Input(1, 28, 28)]
        [Conv(8, 3), ReLU, MaxPool(2), Flatten, Dense(10)]
        public partial class ModelA;
        """;

    private const string ModelB = """
        using DeclCnn;
        namespace App;

        [Input(3, 32, 32)]
        [Conv(16, 3, Padding = 1), BatchNorm, ReLU, GlobalAvgPool, Flatten, Dense(10)]
        public partial class ModelB;
        """;

    private const string Block = """
        using DeclCnn;
        namespace App;

        [Block]
        [Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1, Bias = false), BatchNorm, ReLU]
        [Add, ReLU]
        public partial class Residual;

        [Input(3, 32, 32)]
        [Conv(16, 3, Padding = 1), Stage<Residual>(32, Blocks = 2, Stride = 2), GlobalAvgPool, Flatten, Dense(10)]
        public partial class ModelC;
        """;

    /// <summary>A model with an error (DCNN0019) and a block with one (DCNN0027), each emitted as a stand-in.</summary>
    private const string Broken = """
        using DeclCnn;
        namespace App;

        [Input(1, 28, 28)]
        [Conv(8, 3), Dense(10)]
        public partial class BrokenModel;

        [Block]
        [Conv(Block.Channels, 3, Padding = 1), Flatten]
        public partial class BrokenBlock;
        """;

    private const string Unrelated = """
        namespace App;

        public static class Helpers
        {
            public static int Twice(int value) => value * 2;
        }
        """;

    private static readonly string[] TrackedSteps =
    {
        "Declarations", "Analyses", "Diagnostics", "Models", "Unusable", "NativeInitializer", "OnnxExport",
        "BlockDeclarations", "BlockAnalyses", "BlockLibrary", "BlockDiagnostics", "NetworkLibrary", "Backbones",
    };

    private const string Transfer = """
        using DeclCnn;
        namespace App;

        [Input(1, 28, 28)]
        [Backbone<ModelA>("flatten")]
        [Dense(5)]
        public partial class TransferA;
        """;

    [Fact]
    public void Adding_an_unrelated_file_leaves_every_step_cached()
    {
        var compilation = GeneratorHarness.CreateCompilation(new[] { ModelA, ModelB, Block, Broken });
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Unrelated, GeneratorHarness.ParseOptions, path: "Helpers.cs"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllCachedOrUnchanged(result, TrackedSteps);
    }

    [Fact]
    public void Editing_an_unrelated_file_leaves_every_step_cached()
    {
        var compilation = GeneratorHarness.CreateCompilation(new[] { ModelA, ModelB, Block, Broken, Unrelated });
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var helpers = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(helpers, helpers.WithChangedText(helpers.GetText().Replace(helpers.ToString().IndexOf("* 2", StringComparison.Ordinal), 3, "* 3")));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        // The broken model's stand-in is among the outputs, cached like the modules.
        Assert.Single(result.TrackedSteps["Unusable"].SelectMany(static step => step.Outputs));
        Assert.Contains(result.GeneratedSources, static s => s.HintName == "App.BrokenBlock.g.cs");
        AssertAllCachedOrUnchanged(result, TrackedSteps);
    }

    [Fact]
    public void Moving_a_broken_model_within_its_file_does_not_re_emit_its_stand_in()
    {
        var compilation = GeneratorHarness.CreateCompilation(new[] { Broken });
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(0, 0, "// a comment that shifts every span\n")));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var standIns = result.TrackedSteps["Unusable"].SelectMany(static step => step.Outputs).ToList();
        Assert.Single(standIns);
        Assert.All(standIns, static output =>
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Unusable step was {output.Reason}"));
    }

    [Fact]
    public void Editing_one_model_regenerates_only_that_model()
    {
        var compilation = GeneratorHarness.CreateCompilation(new[] { ModelA, ModelB });
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var modelA = compilation.SyntaxTrees.First();
        var text = modelA.GetText();
        var edited = compilation.ReplaceSyntaxTree(modelA, modelA.WithChangedText(text.Replace(text.ToString().IndexOf("Dense(10)", StringComparison.Ordinal), 9, "Dense(12)")));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var emitted = result.TrackedSteps["Models"].SelectMany(static step => step.Outputs).ToList();
        Assert.Equal(2, emitted.Count);
        Assert.Single(emitted, static output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(emitted, static output => output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
        Assert.Contains("12", result.GeneratedSources.Single(static s => s.HintName == "App.ModelA.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_a_backbone_re_emits_its_transfer_network_and_leaves_the_others_cached()
    {
        var compilation = GeneratorHarness.CreateCompilation(new[] { ModelA, ModelB, Transfer });
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var modelA = compilation.SyntaxTrees.First();
        var text = modelA.GetText();
        var edited = compilation.ReplaceSyntaxTree(modelA, modelA.WithChangedText(text.Replace(text.ToString().IndexOf("Conv(8, 3)", StringComparison.Ordinal), 10, "Conv(6, 3)")));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var analyses = result.TrackedSteps["Analyses"].SelectMany(static step => step.Outputs).ToList();
        Assert.Equal(3, analyses.Count);
        Assert.Equal(2, analyses.Count(static output => output.Reason == IncrementalStepRunReason.Modified));
        Assert.Single(analyses, static output => output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
        Assert.Contains("Linear(1014, 5)", result.GeneratedSources.Single(static s => s.HintName == "App.TransferA.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Moving_a_model_within_its_file_does_not_re_emit_it()
    {
        var compilation = GeneratorHarness.CreateCompilation(new[] { ModelA });
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(0, 0, "// a comment that shifts every span\n")));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(result.TrackedSteps["Models"].SelectMany(static step => step.Outputs), static output =>
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Models step was {output.Reason}"));
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_nodes_or_compilations()
    {
        var compilation = GeneratorHarness.CreateCompilation(new[] { ModelA, ModelB, Broken });
        var result = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        foreach (var (name, steps) in result.TrackedSteps.Where(static s => TrackedSteps.Contains(s.Key)))
        {
            foreach (var (value, _) in steps.SelectMany(static step => step.Outputs))
            {
                AssertNoRoslynObjects(value, $"step {name}", new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static void AssertAllCachedOrUnchanged(GeneratorRunResult result, IEnumerable<string> steps)
    {
        foreach (var step in steps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"Step {step} was not tracked.");
            foreach (var output in result.TrackedSteps[step].SelectMany(static s => s.Outputs))
            {
                Assert.True(
                    output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"Step {step} output was {output.Reason}.");
            }
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(static s => s.Value).SelectMany(static s => s.Outputs), static output =>
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"An output step was {output.Reason}."));
    }

    /// <summary>Walks an object graph and fails on anything that would pin a compilation in the cache.</summary>
    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is Compilation or ISymbol or SyntaxNode, $"{path} holds a {value.GetType().Name}.");
        if (value is SyntaxTree or DiagnosticDescriptor)
        {
            // Trees are reused across compilations for unchanged files; descriptors are static.
            return;
        }

        if (value is IEnumerable items)
        {
            var index = 0;
            foreach (var item in items)
            {
                AssertNoRoslynObjects(item, $"{path}[{index++}]", seen);
            }

            return;
        }

        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoRoslynObjects(field.GetValue(value), $"{path}.{field.Name}", seen);
        }
    }
}
