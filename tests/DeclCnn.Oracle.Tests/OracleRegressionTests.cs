using System;
using System.Linq;
using DeclCnn.Runtime.Native;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DeclCnn.Oracle.Tests;

/// <summary>
/// Disagreements the oracle found, and generator failures found while extending it to shortcut
/// blocks and nested stages, kept as regression tests with their minimal declarations.
/// </summary>
public class OracleRegressionTests
{
    public OracleRegressionTests() => TorchSharpNative.EnsureLoaded();

    [Fact]
    public void Global_average_pooling_of_a_flat_vector_is_rejected_although_libtorch_averages_the_batch()
    {
        var declaration = new Declaration(1, 2, 3, new OracleLayer[] { new FlattenLayer(), new AdaptivePoolLayer(1, 1, Global: true) });

        var generated = OracleHarness.Generate(declaration);
        var (byHand, failure) = OracleHarness.RunByHand(declaration);

        Assert.Equal("DCNN0021", Assert.Single(generated.Diagnostics).Id);
        // The quirk DeclCnn protects against: [2, 6] in, [1, 1] out, the batch averaged away.
        Assert.Null(failure);
        Assert.Equal("AdaptiveAvgPool2d [1] 0", byHand!.Rows[^1]);
    }

    [Fact]
    public void Block_that_is_its_own_shortcut_is_reported_as_containing_itself()
    {
        // Before the fix, tracing the stage recursed into the shortcut until the stack overflowed
        // (a crash of the compiler, and of this test run), and the block was generated with a
        // constructor that builds itself.
        var generated = OracleHarness.Generate("""
            using DeclCnn;

            [Block]
            [Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1)]
            [Add(Projection = typeof(Loop))]
            public partial class Loop;

            [Input(3, 8, 8)]
            [Stage<Loop>(4)]
            public partial class OracleNet;
            """);

        Assert.Equal("DCNN0032", Assert.Single(generated.Diagnostics).Id);
        Assert.DoesNotContain(generated.Compilation.SyntaxTrees, static t => t.ToString().Contains("new global::Loop(", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[Stage<Broken>(Block.Channels)]")]
    [InlineData("[Conv(Block.Channels, 1)]\n[Add(Projection = typeof(Broken))]")]
    public void Block_that_uses_a_block_with_errors_of_its_own_waits_for_the_fix(string use)
    {
        // Found while extending the block oracle: a nested stage of such a block crashed the generator
        // ("No factory for StageSpec", so no model of the compilation was generated), and a shortcut
        // block with errors left generated code calling a constructor the block never got. Now the
        // broken block reports its error and every block and model that uses it waits for the fix.
        var generated = OracleHarness.Generate($"""
            using DeclCnn;

            [Block]
            [Conv(Block.Channels, 1, Name = "forward")]
            public partial class Broken;

            [Block]
            {use}
            public partial class Outer;

            [Input(3, 8, 8)]
            [Stage<Outer>(4)]
            public partial class OracleNet;
            """);

        Assert.Equal("DCNN0012", Assert.Single(generated.Diagnostics).Id);
        Assert.Empty(generated.Compilation.GetDiagnostics().Where(static d => d.Severity == DiagnosticSeverity.Error));
    }
}
