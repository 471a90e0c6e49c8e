using System;
using System.Globalization;
using System.Linq;
using DeclCnn.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using static DeclCnn.Generators.Tests.Diagnostics.Models;

namespace DeclCnn.Generators.Tests.Diagnostics;

/// <summary>
/// Blocks, joins and stages (DCNN0024 to DCNN0031, and DCNN0012 for the names a block reserves).
/// A block is checked on its own for what does not depend on its use; its shapes are checked at
/// each [Stage], where a block that does not fit is reported (DCNN0029) together with the problem
/// at the block's own layer or join. Each source declares its blocks itself: sources are compiled alone.
/// </summary>
public class BlockDiagnosticsTests
{
    private const StringComparison Ordinal = StringComparison.Ordinal;

    /// <summary>ResNet's basic block, with the stride on the first convolution.</summary>
    private const string BasicBlock = """
        [Block]
        [Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1, Bias = false), BatchNorm, ReLU]
        [Conv(Block.Channels, 3, Padding = 1, Bias = false), BatchNorm]
        [Add, ReLU]
        public partial class BasicBlock;
        """;

    // DCNN0024: block parameters outside a block.

    [Fact]
    public void Block_Channels_in_a_model_reports_DCNN0024_on_the_argument()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(3, 32, 32)]
            [Conv({|DCNN0024:Block.Channels|}, 3, Padding = 1), GlobalAvgPool, Flatten, Dense(10)]
            """));

        Assert.Equal(
            "Conv(Block.Channels, 3, Padding = 1): Block.Channels uses block parameters, which only exist in a [Block]; "
            + "write a number, or move the layers into a [Block] used by a [Stage]",
            result.Message());
    }

    [Theory]
    [InlineData("Conv(8, 3, {|DCNN0024:Stride = Block.Stride|})")]
    [InlineData("Conv(8, 3, {|DCNN0024:Padding = Block.Stride * 2|})")]
    [InlineData("MaxPool({|DCNN0024:Block.Stride|})")]
    [InlineData("Conv({|DCNN0024:Block.Channels * 4|}, {|DCNN0024:Block.Stride|})")]
    public void Block_parameters_in_a_model_report_DCNN0024_on_each_argument(string layer)
    {
        DiagnosticAssert.Reports(Net($"""
            [Input(3, 32, 32)]
            [{layer}, Flatten, Dense(10)]
            """));
    }

    [Fact]
    public void Block_parameter_as_the_channels_of_a_models_stage_reports_DCNN0024()
    {
        var result = DiagnosticAssert.Reports(Code(BasicBlock, """
            [Input(3, 32, 32)]
            [Stage<BasicBlock>({|DCNN0024:Block.Channels|}), GlobalAvgPool, Flatten, Dense(10)]
            public partial class Net;
            """));

        Assert.StartsWith("Stage<BasicBlock>(Block.Channels): Block.Channels uses block parameters", result.Message(), Ordinal);
    }

    [Fact]
    public void Block_parameters_in_a_block_are_clean()
    {
        InfersShapesWithBlock(BasicBlock, """
            [Input(3, 32, 32)]
            [Conv(16, 3, Padding = 1), Stage<BasicBlock>(16, Blocks = 2), Stage<BasicBlock>(32, Stride = 2)]
            """, "[N, 3, 32, 32]", "[N, 32, 16, 16]");
    }

    // DCNN0025: an argument that cannot be computed from the block parameters.

    [Theory]
    [InlineData("Conv({|DCNN0025:Block.Channels % 2|}, 3, Padding = 1)", "OutChannels = Block.Channels % 2", "build it from Block.Channels, Block.Stride, integer constants, + - * / and parentheses")]
    [InlineData("Conv({|DCNN0025:(int)Block.Channels|}, 3, Padding = 1)", "OutChannels = (int)Block.Channels", "build it from")]
    [InlineData("Conv(Block.Channels, 3, {|DCNN0025:Stride = new[] { Block.Stride, 1 }|}, Padding = 1)", "Stride = new[] { Block.Stride, 1 }", "build it from")]
    [InlineData("Conv(Block.Channels, 3, Padding = 1), Dropout({|DCNN0025:Block.Stride|})", "P = Block.Stride", "P must be a constant")]
    [InlineData("Conv(Block.Channels, 3, Padding = 1, {|DCNN0025:Bias = Block.Stride == 1|})", "Bias = Block.Stride == 1", "Bias must be a constant")]
    [InlineData("Conv(Block.Channels, 3, Padding = 1), BatchNorm({|DCNN0025:Eps = Block.Channels|})", "Eps = Block.Channels", "Eps must be a constant")]
    [InlineData("Conv(Block.Channels, 3, Padding = 1), Upsample({|DCNN0025:Block.Stride|})", "ScaleFactor = Block.Stride", "ScaleFactor must be a constant")]
    public void Unsupported_block_parameter_expression_reports_DCNN0025_on_the_argument(string layers, string argument, string reason)
    {
        // The model that uses the block waits for the block's fix: no shape errors on top.
        var result = DiagnosticAssert.Reports(Code($"""
            [Block]
            [{layers}]
            public partial class Widen;

            [Input(8, 16, 16)]
            [Stage<Widen>(8, Stride = 2), GlobalAvgPool, Flatten, Dense(10)]
            public partial class Net;
            """));

        Assert.Contains($": {argument} cannot depend on block parameters; {reason}", result.Message(), Ordinal);
    }

    [Fact]
    public void Block_parameter_with_an_unsupported_operator_reports_the_whole_message()
    {
        var result = DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv({|DCNN0025:Block.Channels % 2|}, 3, Padding = 1)]
            public partial class Odd;
            """));

        Assert.Equal(
            "Conv(Block.Channels % 2, 3, Padding = 1): OutChannels = Block.Channels % 2 cannot depend on block parameters; "
            + "build it from Block.Channels, Block.Stride, integer constants, + - * / and parentheses",
            result.Message());
    }

    [Theory]
    [InlineData("Conv(Block.Channels, 3, Padding = \"same\", Bias = false)", "[N, 16, 16, 16]")]
    [InlineData("Conv(Block.Channels, 3, Padding = \"same\", Dilation = 2)", "[N, 16, 16, 16]")]
    [InlineData("Conv(Block.Channels * 4, 1)", "[N, 64, 16, 16]")]
    [InlineData("Conv((Block.Channels + 2) / 3 * 3 - Block.Channels + 16, 1)", "[N, 18, 16, 16]")]
    [InlineData("Conv(-Block.Channels * -2, 1)", "[N, 32, 16, 16]")]
    [InlineData("Conv(Block.Channels, 3, Padding = 1, Groups = Block.Channels / 8)", "[N, 16, 16, 16]")]
    [InlineData("Conv(Block.Channels, Block.Stride + 1, Stride = Block.Stride, Padding = Block.Stride - 1)", "[N, 16, 8, 8]")]
    [InlineData("MaxPool(Block.Stride)", "[N, 8, 8, 8]")]
    [InlineData("AvgPool(3, Stride = Block.Stride, Padding = 1)", "[N, 8, 8, 8]")]
    [InlineData("AdaptiveAvgPool(Block.Channels / 4)", "[N, 8, 4, 4]")]
    [InlineData("LocalResponseNorm(Block.Channels / 4 + 1)", "[N, 8, 16, 16]")]
    public void Supported_block_parameter_expressions_are_clean_and_evaluated_at_each_use(string layer, string output)
    {
        // Block.Channels = 16, Block.Stride = 2 in the stage below; 8 channels in.
        InfersShapesWithBlock($"""
            [Block]
            [{layer}]
            public partial class Sized;
            """, """
            [Input(8, 16, 16)]
            [Stage<Sized>(16, Stride = 2)]
            """, "[N, 8, 16, 16]", output);
    }

    // DCNN0026: a stage of a type that is not a block.

    [Fact]
    public void Stage_of_a_class_without_Block_reports_DCNN0026_on_the_stage()
    {
        var result = DiagnosticAssert.Reports(Code("""
            public class Plain;

            [Input(3, 32, 32)]
            [Conv(16, 3, Padding = 1), {|DCNN0026:Stage<Plain>(16, Blocks = 2)|}, GlobalAvgPool, Flatten, Dense(10)]
            public partial class Net;
            """));

        Assert.Equal("Stage<Plain>(16, Blocks = 2) (layer 2): 'Plain' is not a [Block]; mark it [Block] and declare its layers on it", result.Message());
    }

    [Fact]
    public void Stage_of_a_model_reports_DCNN0026()
    {
        DiagnosticAssert.Reports(Code("""
            [Input(3, 32, 32)]
            [Conv(16, 3, Padding = 1), ReLU]
            public partial class Stem;

            [Input(3, 32, 32)]
            [{|DCNN0026:Stage<Stem>(16)|}, GlobalAvgPool, Flatten, Dense(10)]
            public partial class Net;
            """));
    }

    [Fact]
    public void Nested_stage_of_a_class_without_Block_reports_DCNN0026_in_the_block_and_its_users_wait()
    {
        var result = DiagnosticAssert.Reports(Code("""
            public class Plain;

            [Block]
            [Conv(Block.Channels, 3, Padding = 1), {|DCNN0026:Stage<Plain>(Block.Channels)|}]
            public partial class Outer;

            [Input(3, 32, 32)]
            [Stage<Outer>(16), GlobalAvgPool, Flatten, Dense(10)]
            public partial class Net;
            """));

        Assert.Equal("Stage<Plain>(Block.Channels) (layer 2 of Outer): 'Plain' is not a [Block]; mark it [Block] and declare its layers on it", result.Message());
        Assert.DoesNotContain(result.CompilationDiagnostics, static d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void Shortcut_of_a_class_without_Block_reports_DCNN0026_on_the_projection_and_its_users_wait()
    {
        var result = DiagnosticAssert.Reports(Code("""
            public class Plain;

            [Block]
            [Conv(Block.Channels, 3, Padding = 1), Add({|DCNN0026:Projection = typeof(Plain)|})]
            public partial class Outer;

            [Input(3, 32, 32)]
            [Stage<Outer>(16), GlobalAvgPool, Flatten, Dense(10)]
            public partial class Net;
            """));

        Assert.Equal("Add(Projection = typeof(Plain)) (layer 2 of Outer): 'Plain' is not a [Block]; mark it [Block] and declare its layers on it", result.Message());
        Assert.DoesNotContain(result.CompilationDiagnostics, static d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void Stage_of_a_block_is_clean()
    {
        InfersShapesWithBlock("""
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU]
            public partial class Plain;
            """, """
            [Input(3, 32, 32)]
            [Conv(16, 3, Padding = 1), Stage<Plain>(16, Blocks = 2), GlobalAvgPool, Flatten, Dense(10)]
            """, "[N, 3, 32, 32]", "[N, 10]");
    }

    // DCNN0027: layers that do not map a feature map to a feature map.

    [Fact]
    public void Flatten_and_Dense_in_a_block_report_DCNN0027_on_each()
    {
        var result = DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU, GlobalAvgPool, {|DCNN0027:Flatten|}, {|DCNN0027:Dense(10)|}]
            public partial class Head;

            [Input(3, 32, 32)]
            [Stage<Head>(16)]
            public partial class Net;
            """));

        Assert.Equal(
            new[]
            {
                "Flatten (layer 4): Flatten is not allowed in a [Block]: a block maps a feature map to a feature map; use it in the model after the stages",
                "Dense(10) (layer 5): Dense(10) is not allowed in a [Block]: a block maps a feature map to a feature map; use it in the model after the stages",
            },
            result.DeclCnnDiagnostics.OrderBy(static d => d.Location.SourceSpan.Start).Select(static d => d.GetMessage(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Dense_after_the_join_reports_DCNN0027()
    {
        DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), BatchNorm]
            [Add, ReLU, {|DCNN0027:Dense(10)|}]
            public partial class Residual;
            """));
    }

    [Fact]
    public void Block_of_feature_map_layers_is_clean_and_the_model_flattens_after_the_stages()
    {
        InfersShapesWithBlock("""
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), BatchNorm, ReLU, Dropout(0.1), MaxPool(2), Upsample(2), GlobalAvgPool]
            public partial class Pooled;
            """, """
            [Input(3, 32, 32)]
            [Stage<Pooled>(16), Flatten, Dense(10)]
            """, "[N, 3, 32, 32]", "[N, 10]");
    }

    // DCNN0028: [Add] or [Concat] in the wrong place.

    [Theory]
    [InlineData("{|DCNN0028:Add|}", "Add (layer 2)")]
    [InlineData("{|DCNN0028:Add(Shortcut = Shortcut.Identity)|}", "Add(Shortcut = Shortcut.Identity) (layer 2)")]
    [InlineData("{|DCNN0028:Concat|}", "Concat (layer 2)")]
    public void Join_in_a_model_reports_DCNN0028(string join, string reference)
    {
        var result = DiagnosticAssert.Reports(Net($"""
            [Input(16, 32, 32)]
            [Conv(16, 3, Padding = 1), {join}, ReLU, GlobalAvgPool, Flatten, Dense(10)]
            """));

        Assert.Equal(
            $"{reference}: [Add] and [Concat] join a block's body with its input; declare them in a [Block] and use the block in a [Stage]",
            result.Message());
    }

    [Fact]
    public void Second_join_in_a_block_reports_DCNN0028_on_it()
    {
        var result = DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), Add]
            [Conv(Block.Channels, 3, Padding = 1), {|DCNN0028:Concat|}]
            public partial class Twice;
            """));

        Assert.Equal("Concat (layer 4): a block joins its input once; remove this second join", result.Message());
    }

    [Fact]
    public void Join_first_in_a_block_reports_DCNN0028_on_it()
    {
        var result = DiagnosticAssert.Reports(Code("""
            [Block]
            [{|DCNN0028:Add|}, Conv(Block.Channels, 3, Padding = 1), ReLU]
            public partial class Backwards;

            [Input(16, 32, 32)]
            [Stage<Backwards>(16), GlobalAvgPool, Flatten, Dense(10)]
            public partial class Net;
            """));

        Assert.Equal("Add (layer 1): the body before the join is empty; declare the body's layers first", result.Message());
    }

    [Fact]
    public void Join_first_and_a_second_join_report_DCNN0028_on_both()
    {
        DiagnosticAssert.Reports(Code("""
            [Block]
            [{|DCNN0028:Concat|}, Conv(Block.Channels, 3, Padding = 1), {|DCNN0028:Add|}]
            public partial class Backwards;
            """));
    }

    [Fact]
    public void One_join_after_the_body_with_layers_after_it_is_clean()
    {
        InfersShapesWithBlock(BasicBlock, """
            [Input(16, 32, 32)]
            [Stage<BasicBlock>(16, Blocks = 3)]
            """, "[N, 16, 32, 32]", "[N, 16, 32, 32]");
    }

    // DCNN0029: the block does not fit where it is used, with the problem again at the block's layer.

    [Fact]
    public void Block_kernel_larger_than_its_input_reports_DCNN0029_on_the_stage_and_DCNN0014_in_the_block()
    {
        var result = DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, {|DCNN0014:5|}, Stride = Block.Stride), BatchNorm, ReLU]
            public partial class Wide;

            [Input(8, 4, 4)]
            [{|DCNN0029:Stage<Wide>(8, Stride = 2)|}, Flatten, Dense(10)]
            public partial class Net;
            """));

        var inner = "Conv(8, 5, Stride = 2) (layer 1) receives 8x4x4 from the input; its kernel spans 5x5 (with dilation), "
            + "more than the padded input 4x4. Pad the input, or use a smaller kernel or dilation.";
        Assert.Equal(
            new[]
            {
                ("DCNN0014", inner),
                ("DCNN0029", "Stage<Wide>(8, Stride = 2) (layer 1): its block 1 (Wide, channels 8, stride 2) receives 8x4x4 and does not fit: " + inner),
            },
            Messages(result));
    }

    [Fact]
    public void Block_that_fails_only_at_its_third_use_reports_which_use()
    {
        // 5x5 -> 3x3 -> 1x1: the third block's 3x3 kernel no longer fits.
        var result = DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, {|DCNN0014:3|}), ReLU]
            public partial class Shrink;

            [Input(3, 5, 5)]
            [{|DCNN0029:Stage<Shrink>(8, Blocks = 3)|}, Flatten, Dense(10)]
            public partial class Net;
            """));

        Assert.Contains(
            "Stage<Shrink>(8, Blocks = 3) (layer 1): its block 3 (Shrink, channels 8, stride 1) receives 8x1x1 and does not fit: Conv(8, 3) (layer 1) receives 8x1x1",
            Messages(result).Single(static m => m.Id == "DCNN0029").Message,
            Ordinal);
    }

    [Fact]
    public void Block_pooling_to_nothing_reports_DCNN0029_and_DCNN0013_on_the_pooling_layer()
    {
        DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU, {|DCNN0013:MaxPool(2)|}]
            public partial class Down;

            [Input(3, 16, 16)]
            [Conv(8, 3, Padding = 1), {|DCNN0029:Stage<Down>(8, Blocks = 5)|}, Flatten, Dense(10)]
            public partial class Net;
            """));
    }

    [Fact]
    public void Block_layer_after_the_join_reports_DCNN0029_and_the_problem_at_that_layer()
    {
        // The concatenation gives 8 + 4 = 12 channels, which 3 groups divide, but not the 4 outputs.
        var result = DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, 3, Padding = 1)]
            [Concat, Conv(Block.Channels, 1, {|DCNN0016:Groups = 3|})]
            public partial class Grouped;

            [Input(8, 16, 16)]
            [{|DCNN0029:Stage<Grouped>(4)|}, Flatten, Dense(10)]
            public partial class Net;
            """));

        Assert.Contains("receives 12x16x16 from the input; Groups = 3", Messages(result).Single(static m => m.Id == "DCNN0016").Message, Ordinal);
    }

    [Fact]
    public void Block_argument_that_evaluates_out_of_range_reports_DCNN0029_and_DCNN0009_on_the_argument()
    {
        var result = DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv({|DCNN0009:Block.Channels - 8|}, 1)]
            public partial class Narrow;

            [Input(3, 16, 16)]
            [{|DCNN0029:Stage<Narrow>(8)|}, Flatten, Dense(10)]
            public partial class Net;
            """));

        Assert.Equal("Conv(0, 1) (layer 1): OutChannels must be positive, but is 0", Messages(result).Single(static m => m.Id == "DCNN0009").Message);
    }

    [Fact]
    public void Only_the_stage_where_the_block_does_not_fit_reports_DCNN0029()
    {
        DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, {|DCNN0014:5|}, Stride = Block.Stride, Padding = 1), ReLU]
            public partial class Wide;

            [Input(3, 4, 4)]
            [Stage<Wide>(8), {|DCNN0029:Stage<Wide>(16, Stride = 2)|}, Flatten, Dense(10)]
            public partial class Net;
            """));
    }

    [Fact]
    public void Block_that_fits_one_model_but_not_another_is_reported_only_for_the_other()
    {
        DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, {|DCNN0014:5|}), ReLU]
            public partial class Wide;

            [Input(3, 32, 32)]
            [Stage<Wide>(8), Flatten, Dense(10)]
            public partial class Large;

            [Input(3, 4, 4)]
            [{|DCNN0029:Stage<Wide>(8)|}, Flatten, Dense(10)]
            public partial class Small;
            """));
    }

    [Fact]
    public void Block_with_the_same_layers_on_a_larger_input_is_clean()
    {
        InfersShapesWithBlock("""
            [Block]
            [Conv(Block.Channels, 5, Stride = Block.Stride), BatchNorm, ReLU]
            public partial class Wide;
            """, """
            [Input(8, 9, 9)]
            [Stage<Wide>(8, Stride = 2), Flatten, Dense(10)]
            """, "[N, 8, 9, 9]", "[N, 10]");
    }

    // DCNN0030: the residual branches differ.

    [Fact]
    public void Identity_shortcut_in_a_strided_stage_reports_DCNN0029_and_DCNN0030_on_Add()
    {
        var result = DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1), BatchNorm]
            [{|DCNN0030:Add(Shortcut = Shortcut.Identity)|}, ReLU]
            public partial class Plain;

            [Input(8, 16, 16)]
            [{|DCNN0029:Stage<Plain>(8, Stride = 2)|}, Flatten, Dense(10)]
            public partial class Net;
            """));

        var inner = "[Add] (layer 3 of Plain): the body gives 8x8x8 but the shortcut gives 8x16x16 (identity); "
            + "an identity shortcut needs the body to keep the shape; allow a projection with Shortcut = Shortcut.Auto";
        Assert.Equal(
            new[]
            {
                ("DCNN0029", "Stage<Plain>(8, Stride = 2) (layer 1): its block 1 (Plain, channels 8, stride 2) receives 8x16x16 and does not fit: " + inner),
                ("DCNN0030", inner),
            },
            Messages(result));
    }

    [Fact]
    public void Body_that_shrinks_against_its_shortcut_reports_DCNN0030_naming_the_convolution_to_pad()
    {
        var result = DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU]
            [Conv(Block.Channels, 3), BatchNorm]
            [{|DCNN0030:Add|}, ReLU]
            public partial class Shrinking;

            [Input(8, 32, 32)]
            [{|DCNN0029:Stage<Shrinking>(8)|}, Flatten, Dense(10)]
            public partial class Net;
            """));

        Assert.Equal(
            "[Add] (layer 5 of Shrinking): the body gives 8x30x30 but the shortcut gives 8x32x32 (identity); "
            + "the body first shrinks at Conv(Block.Channels, 3) (layer 3 of Shrinking); pad it with Padding = 1 to keep its size",
            Messages(result).Single(static m => m.Id == "DCNN0030").Message);
    }

    [Fact]
    public void Identity_shortcut_in_a_block_that_changes_the_channels_reports_DCNN0030()
    {
        var result = DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), BatchNorm, ReLU]
            [{|DCNN0030:Add(Shortcut = Shortcut.Identity)|}]
            public partial class Plain;

            [Input(3, 16, 16)]
            [{|DCNN0029:Stage<Plain>(8)|}, Flatten, Dense(10)]
            public partial class Net;
            """));

        Assert.Contains("the body gives 8x16x16 but the shortcut gives 3x16x16 (identity)", Messages(result).Single(static m => m.Id == "DCNN0030").Message, Ordinal);
    }

    [Fact]
    public void Auto_shortcut_with_a_body_that_ignores_the_stride_reports_DCNN0030()
    {
        // Stride = 2 makes the shortcut a strided 1x1 convolution, but the body keeps 16x16.
        var result = DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
            [Conv(Block.Channels, 3, Padding = 1, Bias = false), BatchNorm]
            [{|DCNN0030:Add|}, ReLU]
            public partial class Forgetful;

            [Input(3, 32, 32)]
            [Conv(16, 3, Padding = 1), Stage<Forgetful>(16), {|DCNN0029:Stage<Forgetful>(32, Stride = 2)|}, GlobalAvgPool, Flatten, Dense(10)]
            public partial class Net;
            """));

        Assert.Equal(
            "[Add] (layer 6 of Forgetful): the body gives 32x32x32 but the shortcut gives 32x16x16 (1x1 convolution, stride 2); "
            + "make the body's stride and padding reduce the size as the shortcut's stride does",
            Messages(result).Single(static m => m.Id == "DCNN0030").Message);
    }

    [Fact]
    public void Projection_shortcut_with_a_body_that_ignores_the_stride_reports_DCNN0030()
    {
        DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU]
            [{|DCNN0030:Add(Shortcut = Shortcut.Projection)|}]
            public partial class Forgetful;

            [Input(8, 16, 16)]
            [{|DCNN0029:Stage<Forgetful>(8, Stride = 2)|}, Flatten, Dense(10)]
            public partial class Net;
            """));
    }

    [Fact]
    public void Auto_shortcut_with_an_unpadded_body_reports_DCNN0030_against_the_identity()
    {
        var result = DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, 3), BatchNorm]
            [{|DCNN0030:Add|}, ReLU]
            public partial class Unpadded;

            [Input(8, 16, 16)]
            [{|DCNN0029:Stage<Unpadded>(8)|}, Flatten, Dense(10)]
            public partial class Net;
            """));

        Assert.Contains("the body gives 8x14x14 but the shortcut gives 8x16x16 (identity)", Messages(result).Single(static m => m.Id == "DCNN0030").Message, Ordinal);
    }

    [Theory]
    [InlineData("[Input(3, 32, 32)]", "Stage<BasicBlock>(16), Stage<BasicBlock>(32, Blocks = 2, Stride = 2)", "[N, 32, 16, 16]")]
    [InlineData("[Input(3, 15, 15)]", "Stage<BasicBlock>(16, Stride = 2)", "[N, 16, 8, 8]")]
    [InlineData("[Input(16, 7, 7)]", "Stage<BasicBlock>(16, Blocks = 2, Stride = 3)", "[N, 16, 3, 3]")]
    public void Auto_shortcut_that_projects_like_the_body_is_clean(string input, string stages, string output)
    {
        InfersShapesWithBlock(BasicBlock, $"""
            {input}
            [{stages}]
            """, input.Replace("[Input(", "[N, ", Ordinal).Replace(")]", "]", Ordinal), output);
    }

    [Fact]
    public void Identity_shortcut_with_a_body_that_keeps_the_shape_is_clean()
    {
        InfersShapesWithBlock("""
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), BatchNorm, ReLU]
            [Add(Shortcut = Shortcut.Identity)]
            public partial class Plain;
            """, """
            [Input(8, 16, 16)]
            [Stage<Plain>(8, Blocks = 3)]
            """, "[N, 8, 16, 16]", "[N, 8, 16, 16]");
    }

    [Fact]
    public void Projection_shortcut_on_an_odd_size_is_clean()
    {
        // Both branches give floor((15 - 1) / 2) + 1 = 8: the body pads, the 1x1 projection does not need to.
        InfersShapesWithBlock("""
            [Block]
            [Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1), ReLU]
            [Add(Shortcut = Shortcut.Projection)]
            public partial class Projected;
            """, """
            [Input(3, 15, 15)]
            [Stage<Projected>(8, Stride = 2)]
            """, "[N, 3, 15, 15]", "[N, 8, 8, 8]");
    }

    // DCNN0031: the concatenated branches differ in height or width.

    [Fact]
    public void Concat_block_whose_body_pools_reports_DCNN0029_and_DCNN0031_on_Concat()
    {
        var result = DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), MaxPool(2)]
            [{|DCNN0031:Concat|}]
            public partial class Pooled;

            [Input(8, 16, 16)]
            [{|DCNN0029:Stage<Pooled>(4)|}, Flatten, Dense(10)]
            public partial class Net;
            """));

        var inner = "[Concat] (layer 3 of Pooled): the body gives 4x8x8 but the input is 8x16x16; a concatenation needs the same height and width on both sides";
        Assert.Equal(
            new[]
            {
                ("DCNN0029", "Stage<Pooled>(4) (layer 1): its block 1 (Pooled, channels 4, stride 1) receives 8x16x16 and does not fit: " + inner),
                ("DCNN0031", inner),
            },
            Messages(result));
    }

    [Fact]
    public void Concat_block_with_a_strided_body_reports_DCNN0031_only_where_the_stage_has_a_stride()
    {
        DiagnosticAssert.Reports(Code("""
            [Block]
            [BatchNorm, ReLU, Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1, Bias = false)]
            [{|DCNN0031:Concat|}]
            public partial class Growth;

            [Input(3, 16, 16)]
            [Stage<Growth>(4, Blocks = 2), {|DCNN0029:Stage<Growth>(4, Stride = 2)|}, Flatten, Dense(10)]
            public partial class Net;
            """));
    }

    [Fact]
    public void Concat_block_that_keeps_the_size_grows_the_channels_and_is_clean()
    {
        // 3 + 4 + 4 + 4 = 15 channels: only height and width must agree.
        InfersShapesWithBlock("""
            [Block]
            [BatchNorm, ReLU, Conv(Block.Channels, 3, Padding = "same", Bias = false)]
            [Concat]
            public partial class Growth;
            """, """
            [Input(3, 16, 16)]
            [Stage<Growth>(4, Blocks = 3)]
            """, "[N, 3, 16, 16]", "[N, 15, 16, 16]");
    }

    // DCNN0012: the names a block reserves for its generated code.

    [Fact]
    public void Layer_named_downsample_in_a_residual_block_reports_DCNN0012_on_Name()
    {
        var result = DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1, {|DCNN0012:Name = "downsample"|}), BatchNorm]
            [Add, ReLU]
            public partial class Residual;

            [Input(8, 16, 16)]
            [Stage<Residual>(8), Flatten, Dense(10)]
            public partial class Net;
            """));

        Assert.Equal(
            "Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1): the name \"downsample\" is the name of the block's shortcut projection",
            result.Message());
    }

    [Fact]
    public void Layer_named_downsample_with_an_explicit_projection_reports_DCNN0012()
    {
        DiagnosticAssert.Reports(Code("""
            [Block]
            [Conv(Block.Channels * 4, 1, {|DCNN0012:Name = "downsample"|}), BatchNorm]
            [Add(Shortcut = Shortcut.Projection)]
            public partial class Residual;
            """));
    }

    [Theory]
    [InlineData("Add(Shortcut = Shortcut.Identity)")]
    [InlineData("Concat")]
    public void Layer_named_downsample_where_the_shortcut_is_no_module_is_clean(string join)
    {
        InfersShapesWithBlock($"""
            [Block]
            [Conv(Block.Channels, 3, Padding = 1, Name = "downsample"), ReLU]
            [{join}]
            public partial class Plain;
            """, """
            [Input(8, 16, 16)]
            [Stage<Plain>(8)]
            """, "[N, 8, 16, 16]", join == "Concat" ? "[N, 16, 16, 16]" : "[N, 8, 16, 16]");
    }

    [Theory]
    [InlineData("inChannels", "Add", "is reserved for the generated block constructor's parameters")]
    [InlineData("channels", "Concat", "is reserved for the generated block constructor's parameters")]
    [InlineData("stride", "Add(Shortcut = Shortcut.Identity)", "is reserved for the generated block constructor's parameters")]
    [InlineData("shortcut", "Add", "is reserved for the generated forward method's variables")]
    [InlineData("forward", "Add", "is a member of TorchSharp's Module")]
    [InlineData("x1", "Concat", "is reserved for the generated forward method's variables")]
    [InlineData("Residual", "Add", "is the class name")]
    public void Name_the_generated_block_uses_itself_reports_DCNN0012(string name, string join, string reason)
    {
        var result = DiagnosticAssert.Reports(Code($$"""
            [Block]
            [Conv(Block.Channels * 2, 3, Padding = 1, {|DCNN0012:Name = "{{name}}"|}), ReLU]
            [{{join}}]
            public partial class Residual;
            """));

        Assert.Equal($"Conv(Block.Channels * 2, 3, Padding = 1): the name \"{name}\" {reason}", result.Message());
    }

    [Fact]
    public void Layer_named_shortcut_in_a_block_with_an_identity_shortcut_is_clean()
    {
        InfersShapesWithBlock("""
            [Block]
            [Conv(Block.Channels, 3, Padding = 1, Name = "shortcut"), ReLU]
            [Add(Shortcut = Shortcut.Identity)]
            public partial class Plain;
            """, """
            [Input(8, 16, 16)]
            [Stage<Plain>(8)]
            """, "[N, 8, 16, 16]", "[N, 8, 16, 16]");
    }

    // Valid blocks generate code that compiles without warnings.

    [Fact]
    public void Bottleneck_with_Block_Channels_times_4_generates_clean_code()
    {
        var result = DiagnosticAssert.IsClean(Code("""
            [Block]
            [Conv(Block.Channels, 1, Bias = false), BatchNorm, ReLU]
            [Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1, Bias = false), BatchNorm, ReLU]
            [Conv(Block.Channels * 4, 1, Bias = false), BatchNorm]
            [Add, ReLU]
            public partial class Bottleneck;

            [Input(3, 32, 32)]
            [Conv(64, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
            [Stage<Bottleneck>(64, Blocks = 2), Stage<Bottleneck>(128, Blocks = 2, Stride = 2)]
            [GlobalAvgPool, Flatten, Dense(10)]
            public partial class Net;
            """));

        var block = result.Source("App.Bottleneck.g.cs");
        Assert.Contains("conv3 = global::TorchSharp.torch.nn.Conv2d(channels, channels * 4, kernel_size: 1, bias: false);", block, Ordinal);
        Assert.Contains("downsample = stride != 1 || inChannels != channels * 4 ?", block, Ordinal);
        var model = result.Source("App.Net.g.cs");
        Assert.Contains("/// <summary>Net: [N, 3, 32, 32] -> [N, 10]", model, Ordinal);
        Assert.Contains("(\"0\", new global::App.Bottleneck(64, 64, 1)), (\"1\", new global::App.Bottleneck(256, 64, 1))", model, Ordinal);
        Assert.Contains("(\"0\", new global::App.Bottleneck(256, 128, 2)), (\"1\", new global::App.Bottleneck(512, 128, 1))", model, Ordinal);
    }

    [Fact]
    public void Dense_block_with_Concat_generates_clean_code()
    {
        var result = DiagnosticAssert.IsClean(Code("""
            [Block]
            [BatchNorm, ReLU, Conv(Block.Channels * 4, 1, Bias = false), BatchNorm, ReLU, Conv(Block.Channels, 3, Padding = 1, Bias = false)]
            [Concat]
            public partial class DenseLayer;

            [Input(3, 32, 32)]
            [Conv(24, 3, Padding = 1, Bias = false), Stage<DenseLayer>(12, Blocks = 4)]
            [BatchNorm, ReLU, Conv(36, 1, Bias = false), AvgPool(2), Stage<DenseLayer>(12, Blocks = 4)]
            [BatchNorm, ReLU, GlobalAvgPool, Flatten, Dense(10)]
            public partial class Net;
            """));

        Assert.Contains("global::TorchSharp.torch.cat(", result.Source("App.DenseLayer.g.cs"), Ordinal);
        Assert.Contains("(\"3\", new global::App.DenseLayer(60, 12, 1))", result.Source("App.Net.g.cs"), Ordinal);
    }

    [Fact]
    public void Block_used_by_no_stage_generates_clean_code()
    {
        var result = DiagnosticAssert.IsClean(Code(BasicBlock));

        Assert.Contains("public BasicBlock(long inChannels, long channels, long stride = 1, string name = \"BasicBlock\")", result.Source("App.BasicBlock.g.cs"), Ordinal);
    }

    [Fact]
    public void DCNN0032_a_block_that_contains_itself_is_reported_once_and_its_users_wait()
    {
        DiagnosticAssert.Reports(Code(
            """
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU, Stage<Looping>(Block.Channels)]
            public partial class {|DCNN0032:Looping|};
            """,
            """
            [Block]
            [Stage<Looping>(Block.Channels)]
            public partial class UsesLooping;
            """,
            """
            [Input(3, 8, 8)]
            [Stage<UsesLooping>(4), GlobalAvgPool, Flatten, Dense(2)]
            public partial class Net;
            """));
    }

    [Fact]
    public void DCNN0032_a_loop_through_two_blocks_is_reported_on_both()
    {
        DiagnosticAssert.Reports(Code(
            """
            [Block]
            [Stage<Pong>(Block.Channels)]
            public partial class {|DCNN0032:Ping|};
            """,
            """
            [Block]
            [Conv(Block.Channels, 1), Stage<Ping>(Block.Channels)]
            public partial class {|DCNN0032:Pong|};
            """));
    }

    [Fact]
    public void DCNN0032_nesting_different_blocks_is_clean()
    {
        DiagnosticAssert.IsClean(Code(
            """
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU]
            public partial class Inner;
            """,
            """
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU, Stage<Inner>(Block.Channels, Blocks = 2)]
            public partial class Outer;
            """,
            """
            [Input(3, 8, 8)]
            [Stage<Outer>(4, Stride = 2), GlobalAvgPool, Flatten, Dense(2)]
            public partial class Net;
            """));
    }

    [Fact]
    public void DCNN0009_a_stage_of_more_than_a_thousand_blocks_is_rejected_without_tracing_them()
    {
        DiagnosticAssert.Reports(Code(
            """
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU]
            public partial class Plain;
            """,
            """
            [Input(3, 8, 8)]
            [Stage<Plain>(4, {|DCNN0009:Blocks = 1 << 30|})]
            public partial class Net;
            """));
    }

    /// <summary>A source in namespace <c>App</c> with the given declarations (blocks and models).</summary>
    private static string Code(params string[] declarations) =>
        "using DeclCnn;\n\nnamespace App;\n\n" + string.Join("\n\n", declarations) + "\n";

    /// <summary>Requires that <c>Net</c> with <paramref name="model"/> and the block declared before it is clean, with these shapes.</summary>
    private static void InfersShapesWithBlock(string block, string model, string input, string output)
    {
        var result = DiagnosticAssert.IsClean(Code(block, model + "\npublic partial class Net;"));
        Assert.Contains($"/// <summary>Net: {input} -> {output}", result.Source("App.Net.g.cs"), Ordinal);
    }

    /// <summary>Each diagnostic's id and message, in the order of their ids.</summary>
    private static (string Id, string Message)[] Messages(GeneratorHarness.RunResult result) =>
        result.DeclCnnDiagnostics
            .Select(static d => (d.Id, d.GetMessage(CultureInfo.InvariantCulture)))
            .OrderBy(static d => d.Id, StringComparer.Ordinal)
            .ToArray();
}
