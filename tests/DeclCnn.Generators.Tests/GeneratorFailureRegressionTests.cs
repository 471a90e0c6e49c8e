using System.Globalization;
using System.Linq;
using DeclCnn.Generators.Tests.Diagnostics;
using DeclCnn.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DeclCnn.Generators.Tests;

/// <summary>
/// Declarations that once made the generator fail (taking every model's code with it) or emit code
/// that does not compile. Each must give valid code, or a DCNN diagnostic and nothing else.
/// </summary>
public class GeneratorFailureRegressionTests
{
    private const string Other = """
        using DeclCnn;
        namespace App;

        [Input(1, 28, 28)]
        [Flatten, Dense(10)]
        public partial class Other;
        """;

    [Fact]
    public void Keyword_namespace_generates_its_model_and_leaves_the_others_theirs()
    {
        var result = GeneratorHarness.Run(
            """
            using DeclCnn;
            namespace @event.models;

            [Input(1, 28, 28)]
            [Flatten, Dense(10)]
            public partial class Net;
            """,
            Other);

        Assert.Empty(result.DeclCnnDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
        Assert.Equal(new[] { "App.Other.g.cs", "event.models.Net.g.cs" }, result.GeneratedSources.Select(static s => s.HintName).Where(static n => n != "DeclCnn.NativeInitializer.g.cs").Order());
        Assert.Contains("namespace @event.models;", result.Source("event.models.Net.g.cs"), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Input_on_two_parts_of_a_partial_class_leaves_only_the_compilers_error()
    {
        var result = GeneratorHarness.Run(
            """
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            public partial class Net;

            [Input(1, 28, 28)]
            [Flatten, Dense(10)]
            public partial class Net;
            """,
            Other);

        Assert.Empty(result.DeclCnnDiagnostics);
        Assert.Equal(new[] { "CS0579" }, result.CompilationDiagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error).Select(static d => d.Id).Distinct());
        Assert.Single(result.GeneratedSources, static s => s.HintName == "App.Net.g.cs");
        Assert.Single(result.GeneratedSources, static s => s.HintName == "App.Other.g.cs");
    }

    [Fact]
    public void Block_on_two_parts_of_a_partial_class_leaves_only_the_compilers_error()
    {
        var result = GeneratorHarness.Run("""
            using DeclCnn;
            namespace App;

            [Block]
            public partial class Unit;

            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU]
            public partial class Unit;
            """);

        Assert.Empty(result.DeclCnnDiagnostics);
        Assert.Equal(new[] { "CS0579" }, result.CompilationDiagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error).Select(static d => d.Id).Distinct());
    }

    [Fact]
    public void Keyword_class_names_are_escaped_in_generated_code()
    {
        var result = GeneratorHarness.Run("""
            using DeclCnn;
            namespace App;

            public partial class @struct
            {
                [Input(1, 28, 28)]
                [Flatten, Dense(10)]
                public partial class @class;
            }

            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU]
            public partial class @base;

            [Input(1, 8, 8)]
            [Stage<@base>(4), Flatten, Dense(2)]
            public partial class Staged;
            """);

        Assert.Empty(result.DeclCnnDiagnostics);
        Assert.Empty(result.CompilationDiagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error));
        Assert.Contains("public @class(string name = \"class\")", result.Source("App.struct.class.g.cs"), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Layer_named_like_a_member_of_the_class_reports_DCNN0012()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            [{|DCNN0012:Conv(8, 3)|}, Flatten, Dense(10)]
            public partial class Net
            {
                public int conv1 => 1;
            }
            """);

        Assert.Equal("Conv(8, 3) (layer 1): the name \"conv1\" is already a member of 'Net'", result.Message());
    }

    [Fact]
    public void Member_named_like_a_generated_member_reports_DCNN0034()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            [Flatten, Dense(10)]
            public partial class Net
            {
                public static string {|DCNN0034:Summary|} => "mine";

                // An overload of the generated forward(Tensor) is fine.
                public int forward(int x) => x;
            }

            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU]
            public partial class Unit
            {
                public int {|DCNN0034:forward|} => 0;
            }
            """);

        Assert.Contains(
            "The class 'Net' declares 'Summary', which the generated module also declares; rename or remove it",
            result.DeclCnnDiagnostics.Select(static d => d.GetMessage(CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("BatchNorm({|DCNN0009:Momentum = double.NaN|})", "Momentum", "NaN")]
    [InlineData("LeakyReLU({|DCNN0009:NegativeSlope = double.PositiveInfinity|})", "NegativeSlope", "Infinity")]
    [InlineData("LocalResponseNorm(3, {|DCNN0009:Alpha = double.NegativeInfinity|})", "Alpha", "-Infinity")]
    [InlineData("BatchNorm({|DCNN0009:Eps = -1|})", "Eps", "-1")]
    [InlineData("BatchNorm({|DCNN0009:Eps = 0|})", "Eps", "0")]
    public void Non_finite_or_non_positive_double_reports_DCNN0009(string layer, string property, string value)
    {
        var result = DiagnosticAssert.Reports($$"""
            using DeclCnn;
            namespace App;

            [Input(3, 8, 8)]
            [Conv(4, 3), {{layer}}, Flatten, Dense(10)]
            public partial class Net;
            """);

        Assert.EndsWith($": {property} must be {(property == "Eps" ? "positive" : "a finite number")}, but is {value}", result.Message(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Non_finite_WeightInit_Std_reports_DCNN0009()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            [Input(3, 8, 8)]
            [WeightInit(Init.Normal, {|DCNN0009:Std = double.NaN|})]
            [Conv(4, 3), Flatten, Dense(10)]
            public partial class Net;
            """);

        Assert.Equal("[WeightInit]: Std must be a finite number, but is NaN", result.Message());
    }

    [Theory]
    [InlineData("public partial class {|DCNN0002:Net|} : object;", "declares the base class 'object'")]
    [InlineData("public partial class {|DCNN0002:Net|} : System.Object, System.IDisposable { public void Dispose() { } }", "declares the base class 'object'")]
    [InlineData("file partial class {|DCNN0002:Net|};", "is file-local")]
    [InlineData("public abstract partial class {|DCNN0002:Net|};", "is abstract")]
    public void Unsupported_class_reports_DCNN0002(string declaration, string reason)
    {
        var result = DiagnosticAssert.Reports($$"""
            using DeclCnn;
            namespace App;

            [Input(1, 28, 28)]
            [Flatten, Dense(10)]
            {{declaration}}
            """);

        Assert.StartsWith($"The class 'Net' {reason}", result.Message(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Class_implementing_an_interface_is_clean()
    {
        DiagnosticAssert.IsClean("""
            using DeclCnn;
            namespace App;

            public interface INamed;

            [Input(1, 28, 28)]
            [Flatten, Dense(10)]
            public partial class Net : INamed;
            """);
    }

    [Fact]
    public void Products_of_block_parameters_fold_without_overflow()
    {
        var result = GeneratorHarness.Run("""
            using DeclCnn;
            namespace App;

            [Block]
            [Conv(Block.Channels * Block.Stride, 3, Padding = 1), ReLU, Conv(Block.Channels * 2500 / 1000, 1)]
            public partial class Unit;

            [Input(3, 8, 8)]
            [Stage<Unit>(8, Stride = 2), Flatten, Dense(10)]
            public partial class Net;
            """);

        Assert.Empty(result.DeclCnnDiagnostics);
        Assert.Empty(result.CompilationDiagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error));
        // Block.Channels * 2500 / 1000 with channels 8: the stage outputs 20 channels.
        Assert.Contains("new(\"layer1\", \"Sequential\", new long[] { 20, 8, 8 }", result.Source("App.Net.g.cs"), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Block_expression_with_a_zero_divisor_at_one_use_reports_that_use()
    {
        var result = DiagnosticAssert.Reports("""
            using DeclCnn;
            namespace App;

            [Block]
            [Conv(Block.Channels, 3, {|DCNN0009:Padding = Block.Channels / (Block.Stride - 1)|}), ReLU]
            public partial class Unit;

            [Input(3, 8, 8)]
            [{|DCNN0029:Stage<Unit>(8, Blocks = 2, Stride = 2)|}, Flatten, Dense(10)]
            public partial class Net;
            """);

        var messages = result.DeclCnnDiagnostics.Select(static d => d.GetMessage(CultureInfo.InvariantCulture)).ToList();
        Assert.Contains("Padding must be a number, but is Block.Channels / (Block.Stride - 1), which divides by zero", messages.Single(static m => m.StartsWith("Conv", System.StringComparison.Ordinal)), System.StringComparison.Ordinal);
        Assert.Contains("its block 2 (Unit, channels 8, stride 1)", messages.Single(static m => m.StartsWith("Stage", System.StringComparison.Ordinal)), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Block_expression_beyond_the_size_limit_reports_DCNN0025()
    {
        var terms = string.Join(" + ", Enumerable.Repeat("Block.Channels", 12_000));
        var result = DiagnosticAssert.Reports($$"""
            using DeclCnn;
            namespace App;

            [Block]
            [Conv({|DCNN0025:{{terms}}|}, 3, Padding = 1), ReLU]
            public partial class Unit;
            """);

        Assert.EndsWith("it has 11999 operators, and at most 256 are supported", result.Message(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Blocks_nested_17_deep_report_DCNN0036_at_the_use_that_crosses_the_limit()
    {
        // Nested 24 deep, TorchSharp's train() took 7.6 s, and each level doubles it; the limit is 16.
        var result = DiagnosticAssert.Reports($$"""
            using DeclCnn;
            namespace App;

            {{NestedBlocks(16)}}
            [Block, {|DCNN0036:Stage<Level16>(Block.Channels)|}] public partial class Level17;
            [Block, Stage<Level17>(Block.Channels)] public partial class Level18;

            [Input(3, 8, 8)]
            [Conv(8, 3, Padding = 1), Stage<Level18>(8), Flatten, Dense(10)]
            public partial class Net;
            """);

        Assert.Equal(
            "Stage<Level16>(Block.Channels) (layer 1 of Level17): 'Level17' would nest blocks 17 deep; at most 16 levels are supported, "
            + "as TorchSharp's train() and eval() take twice as long with each level; merge a level's layers into the block that uses it",
            result.Message());
        Assert.Contains("it uses the block 'Level18', which cannot be used yet", result.Source("App.Net.g.cs"), System.StringComparison.Ordinal);
        Assert.Contains("public Level16(long inChannels", result.Source("App.Level16.g.cs"), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Blocks_nested_16_deep_generate_the_model()
    {
        var result = DiagnosticAssert.IsClean($$"""
            using DeclCnn;
            namespace App;

            {{NestedBlocks(16)}}

            [Input(3, 8, 8)]
            [Conv(8, 3, Padding = 1), Stage<Level16>(8), Flatten, Dense(10)]
            public partial class Net;
            """);

        Assert.Contains("private readonly global::TorchSharp.Modules.Sequential", result.Source("App.Net.g.cs"), System.StringComparison.Ordinal);
    }

    /// <summary>Blocks Level1 to Level<paramref name="depth"/>, each but the first a stage of the one before it.</summary>
    private static string NestedBlocks(int depth) =>
        "[Block]\n[Conv(Block.Channels, 3, Padding = 1), ReLU]\npublic partial class Level1;\n"
        + string.Concat(Enumerable.Range(2, depth - 1).Select(static i => $"[Block, Stage<Level{i - 1}>(Block.Channels)] public partial class Level{i};\n"));
}
