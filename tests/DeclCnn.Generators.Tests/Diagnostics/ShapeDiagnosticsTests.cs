using System;
using DeclCnn.Generators.Tests.Infrastructure;
using Xunit;
using static DeclCnn.Generators.Tests.Diagnostics.Models;

namespace DeclCnn.Generators.Tests.Diagnostics;

/// <summary>
/// Layers that cannot run on the shape that flows into them (DCNN0013 to DCNN0017, DCNN0019 to
/// DCNN0023), and the PyTorch shape rules around each boundary: the nearest valid declaration is
/// clean and gets the shape PyTorch computes.
/// </summary>
public class ShapeDiagnosticsTests
{
    private const StringComparison Ordinal = StringComparison.Ordinal;

    // DCNN0013: the output would be empty.

    [Fact]
    public void MaxPool_on_a_1x1_map_reports_empty_output()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(1, 7, 7)]
            [Conv(64, 7), {|DCNN0013:MaxPool(2)|}]
            """));

        Assert.Equal(
            "MaxPool(2) (layer 2) receives 64x1x1 from layer 1, Conv(64, 7); its output would be 64x0x0; "
            + "pad the layers before it, use a smaller window, or remove a pooling layer",
            result.Message());
    }

    [Theory]
    [InlineData("{|DCNN0013:AvgPool(2)|}", "1x0x0")]
    [InlineData("{|DCNN0013:MaxPool(2, 1)|}", "1x0x1")]
    [InlineData("{|DCNN0013:MaxPool(3, Stride = 1, Padding = new[] { 0, 1 })|}", "1x-1x1")]
    public void Pooling_window_larger_than_the_map_reports_empty_output(string layer, string output)
    {
        var result = DiagnosticAssert.Reports(Net($"""
            [Input(1, 1, 1)]
            [{layer}]
            """));

        Assert.Contains($"receives 1x1x1 from the input; its output would be {output};", result.Message(), Ordinal);
    }

    [Fact]
    public void Ceil_mode_keeps_the_partial_window_of_a_1x1_map()
    {
        // floor((1 - 1 - 1 + 1) / 2) + 1 = 1, where floor mode gives 0.
        InfersShapes("""
            [Input(1, 1, 1)]
            [MaxPool(2, CeilMode = true), AvgPool(2, CeilMode = true)]
            """, "[N, 1, 1, 1]", "[N, 1, 1, 1]");
    }

    [Theory]
    [InlineData("MaxPool(2)", "[N, 1, 2, 2]")]
    [InlineData("MaxPool(2, CeilMode = true)", "[N, 1, 3, 3]")]
    [InlineData("MaxPool(3, Stride = 3, Padding = 1)", "[N, 1, 2, 2]")]
    [InlineData("MaxPool(3, Stride = 3, Padding = 1, CeilMode = true)", "[N, 1, 2, 2]")]
    [InlineData("AvgPool(2, Padding = 1)", "[N, 1, 3, 3]")]
    [InlineData("AvgPool(2, Padding = 1, CeilMode = true)", "[N, 1, 3, 3]")]
    [InlineData("AvgPool(3, Stride = 2, CeilMode = true, CountIncludePad = false)", "[N, 1, 2, 2]")]
    public void Floor_and_ceil_mode_give_PyTorch_sizes(string layer, string output)
    {
        InfersShapes($"""
            [Input(1, 5, 5)]
            [{layer}]
            """, "[N, 1, 5, 5]", output);
    }

    [Fact]
    public void Ceil_mode_drops_a_last_window_that_would_start_in_the_right_padding()
    {
        // ceil((5 + 2 - 3) / 3) + 1 = 3, but the third window would start at 2 * 3 - 1 = 5, past
        // the input: PyTorch drops it, so 2 remains. Its 2x2x2 = 8 features reach the dense layer.
        var result = DiagnosticAssert.Reports(Net("""
            [Input(2, 5, 5)]
            [MaxPool(3, Stride = 3, Padding = 1, CeilMode = true), Flatten, Dense(10, {|DCNN0020:InFeatures = 18|})]
            """));

        Assert.Contains("InFeatures = 18, but it receives 8 features", result.Message(), Ordinal);
    }

    [Fact]
    public void Ceil_mode_with_the_dropped_window_is_clean_with_the_right_InFeatures()
    {
        InfersShapes("""
            [Input(2, 5, 5)]
            [MaxPool(3, Stride = 3, Padding = 1, CeilMode = true), Flatten, Dense(10, InFeatures = 8)]
            """, "[N, 2, 5, 5]", "[N, 10]");
    }

    [Fact]
    public void Dilated_MaxPool_spanning_more_than_the_map_reports_empty_output()
    {
        // A 2x2 window with dilation 2 spans 3 pixels: floor((2 - 2 - 1) / 2) + 1 = 0.
        var result = DiagnosticAssert.Reports(Net("""
            [Input(1, 2, 2)]
            [{|DCNN0013:MaxPool(2, Dilation = 2)|}]
            """));

        Assert.Contains("its output would be 1x0x0", result.Message(), Ordinal);
    }

    [Fact]
    public void Dilated_MaxPool_that_fits_is_clean()
    {
        InfersShapes("""
            [Input(1, 3, 3)]
            [MaxPool(2, Dilation = 2)]
            """, "[N, 1, 3, 3]", "[N, 1, 1, 1]");
    }

    [Fact]
    public void Upsample_to_zero_reports_empty_output_on_the_scale_factor()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(8, 4, 4)]
            [Upsample({|DCNN0013:0.1|})]
            """));

        Assert.Equal(
            "Upsample(0.1) (layer 1) receives 8x4x4 from the input; its output would be 8x0x0; use a larger scale factor",
            result.Message());
    }

    [Theory]
    [InlineData("Upsample(0.25)", "[N, 8, 1, 1]")]
    [InlineData("Upsample(0.6)", "[N, 8, 2, 2]")]
    [InlineData("Upsample(1.5)", "[N, 8, 6, 6]")]
    [InlineData("Upsample(2, Mode = \"bilinear\")", "[N, 8, 8, 8]")]
    public void Upsample_floors_the_scaled_size(string layer, string output)
    {
        InfersShapes($"""
            [Input(8, 4, 4)]
            [{layer}]
            """, "[N, 8, 4, 4]", output);
    }

    // DCNN0014: the (dilated) kernel is larger than the padded input.

    [Fact]
    public void Conv_kernel_larger_than_the_input_reports_DCNN0014_on_the_kernel_size()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(1, 28, 28)]
            [Conv(16, 5, Stride = 2), Conv(32, 3, Stride = 2), Conv(64, 3, Stride = 2), Conv(64, {|DCNN0014:5|})]
            """));

        Assert.Equal(
            "Conv(64, 5) (layer 4) receives 64x2x2 from layer 3, Conv(64, 3, Stride = 2); its kernel spans 5x5 (with dilation), "
            + "more than the padded input 2x2. Pad the input, or use a smaller kernel or dilation.",
            result.Message());
    }

    [Fact]
    public void Rectangular_kernel_too_wide_reports_DCNN0014_on_the_kernel_width()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(1, 28, 3)]
            [Conv(8, 1, {|DCNN0014:5|})]
            """));

        Assert.Contains("its kernel spans 1x5 (with dilation), more than the padded input 28x3.", result.Message(), Ordinal);
    }

    [Fact]
    public void Rectangular_kernel_too_tall_reports_DCNN0014_on_the_kernel_height()
    {
        DiagnosticAssert.Reports(Net("""
            [Input(1, 3, 28)]
            [Conv(8, {|DCNN0014:5|}, 1)]
            """));
    }

    [Fact]
    public void Dilation_that_spreads_the_kernel_past_the_input_reports_DCNN0014()
    {
        // 3x3 with dilation 2 spans 5x5, one more than 4x4.
        var result = DiagnosticAssert.Reports(Net("""
            [Input(1, 4, 4)]
            [Conv(8, {|DCNN0014:3|}, Dilation = 2)]
            """));

        Assert.Contains("receives 1x4x4 from the input; its kernel spans 5x5", result.Message(), Ordinal);
    }

    [Theory]
    [InlineData("[Input(1, 3, 3)]", "Conv(8, 5, Padding = 1)", "[N, 8, 1, 1]")]
    [InlineData("[Input(1, 5, 5)]", "Conv(8, 5)", "[N, 8, 1, 1]")]
    [InlineData("[Input(1, 5, 5)]", "Conv(8, 3, Dilation = 2)", "[N, 8, 1, 1]")]
    [InlineData("[Input(1, 3, 3)]", "Conv(8, 5, Padding = \"same\")", "[N, 8, 3, 3]")]
    [InlineData("[Input(1, 7, 7)]", "Conv(8, 3, Dilation = new[] { 1, 2 })", "[N, 8, 5, 3]")]
    [InlineData("[Input(1, 28, 28)]", "Conv(8, 3, Stride = new[] { 1, 2 })", "[N, 8, 26, 13]")]
    [InlineData("[Input(1, 28, 5)]", "Conv(8, 1, 5)", "[N, 8, 28, 1]")]
    public void Kernel_that_fits_the_padded_input_is_clean(string input, string layer, string output)
    {
        InfersShapes($"""
            {input}
            [{layer}]
            """, input.Replace("[Input(", "[N, ", Ordinal).Replace(")]", "]", Ordinal), output);
    }

    // DCNN0015: "same" padding with a stride.

    [Fact]
    public void Same_padding_with_stride_2_reports_DCNN0015_on_Padding()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(3, 32, 32)]
            [Conv(16, 3, Stride = 2, {|DCNN0015:Padding = "same"|})]
            """));

        Assert.Equal(
            "Conv(16, 3, Stride = 2, Padding = \"same\") (layer 1): padding \"same\" needs stride 1, but the stride is 2. "
            + "Pad explicitly, for example Padding = 1 (half the dilated kernel, rounded down), or drop the stride.",
            result.Message());
    }

    [Theory]
    [InlineData("Conv(16, 4, {|DCNN0015:Padding = \"same\"|}, Stride = 2)")]
    [InlineData("Conv(16, 3, Stride = new[] { 1, 2 }, {|DCNN0015:Padding = \"same\"|})")]
    [InlineData("Conv(16, 3, Dilation = 2, Stride = 3, {|DCNN0015:Padding = \"same\"|})")]
    public void Same_padding_with_any_stride_other_than_1_reports_DCNN0015(string layer)
    {
        DiagnosticAssert.Reports(Net($"""
            [Input(3, 32, 32)]
            [{layer}]
            """));
    }

    [Theory]
    [InlineData("Conv(16, 3, Padding = \"same\", Stride = 1)")]
    [InlineData("Conv(16, 4, Padding = \"same\")")]
    [InlineData("Conv(16, 2, 5, Padding = \"same\")")]
    [InlineData("Conv(16, 4, Dilation = 3, Padding = \"same\")")]
    [InlineData("Conv(16, 3, Dilation = new[] { 2, 1 }, Padding = \"same\", Stride = new[] { 1, 1 })")]
    public void Same_padding_at_stride_1_keeps_the_size_even_for_even_kernels(string layer)
    {
        InfersShapes($"""
            [Input(3, 7, 7)]
            [{layer}]
            """, "[N, 3, 7, 7]", "[N, 16, 7, 7]");
    }

    [Fact]
    public void Valid_padding_with_a_stride_is_clean()
    {
        InfersShapes("""
            [Input(3, 32, 32)]
            [Conv(16, 3, Stride = 2, Padding = "valid")]
            """, "[N, 3, 32, 32]", "[N, 16, 15, 15]");
    }

    // DCNN0016: groups must divide both channel counts.

    [Fact]
    public void Groups_that_do_not_divide_the_output_channels_report_DCNN0016_on_Groups()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(6, 8, 8)]
            [Conv(8, 3, {|DCNN0016:Groups = 3|})]
            """));

        Assert.Equal(
            "Conv(8, 3, Groups = 3) (layer 1) receives 6x8x8 from the input; Groups = 3 must divide both the input channels (6) "
            + "and the output channels (8)",
            result.Message());
    }

    [Fact]
    public void Groups_that_do_not_divide_the_input_channels_report_DCNN0016()
    {
        DiagnosticAssert.Reports(Net("""
            [Input(3, 8, 8)]
            [Conv(4, 1), Conv(6, 3, {|DCNN0016:Groups = 3|})]
            """));
    }

    [Theory]
    [InlineData("Conv(9, 3, Groups = 3)", "[N, 9, 6, 6], 171 parameters")]
    [InlineData("Conv(6, 3, Groups = 6, Bias = false)", "[N, 6, 6, 6], 54 parameters")]
    [InlineData("Conv(12, 3, Groups = 2)", "[N, 12, 6, 6], 336 parameters")]
    public void Groups_that_divide_both_channel_counts_are_clean(string layer, string outputAndParameters)
    {
        // Parameters: out * (in / groups) * kh * kw (+ out for the bias).
        InfersShapes($"""
            [Input(6, 8, 8)]
            [{layer}]
            """, "[N, 6, 8, 8]", outputAndParameters);
    }

    // DCNN0017: pooling padding more than half the kernel.

    [Theory]
    [InlineData("MaxPool(2, {|DCNN0017:Padding = 2|})", "padding 2 is more than half the kernel 2", "1")]
    [InlineData("AvgPool(3, {|DCNN0017:Padding = 2|})", "padding 2 is more than half the kernel 3", "1")]
    [InlineData("MaxPool(4, 2, {|DCNN0017:Padding = new[] { 2, 2 }|})", "padding 2 is more than half the kernel (4, 2)", "(2, 1)")]
    [InlineData("MaxPool(1, {|DCNN0017:Padding = 1|})", "padding 1 is more than half the kernel 1", "0")]
    public void Pooling_padding_over_half_the_kernel_reports_DCNN0017_on_Padding(string layer, string problem, string fix)
    {
        var result = DiagnosticAssert.Reports(Net($"""
            [Input(1, 28, 28)]
            [{layer}]
            """));

        Assert.Contains(problem, result.Message(), Ordinal);
        Assert.Contains($"Use padding of at most {fix}.", result.Message(), Ordinal);
    }

    [Theory]
    [InlineData("MaxPool(2, Padding = 1)", "[N, 1, 15, 15]")]
    [InlineData("MaxPool(3, Stride = 2, Padding = 1)", "[N, 1, 14, 14]")]
    [InlineData("AvgPool(4, 2, Padding = new[] { 2, 1 })", "[N, 1, 8, 15]")]
    [InlineData("MaxPool(3, Stride = 1, Padding = 1, Dilation = 2)", "[N, 1, 26, 26]")]
    public void Pooling_padding_of_at_most_half_the_kernel_is_clean(string layer, string output)
    {
        InfersShapes($"""
            [Input(1, 28, 28)]
            [{layer}]
            """, "[N, 1, 28, 28]", output);
    }

    // DCNN0019: a dense layer on a feature map (stricter than PyTorch, which would apply it to the last dimension).

    [Fact]
    public void Dense_on_a_4D_feature_map_reports_DCNN0019()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(1, 28, 28)]
            [Conv(8, 3), ReLU, {|DCNN0019:Dense(10)|}]
            """));

        Assert.Equal(
            "Dense(10) (layer 3) receives the feature map 8x26x26 from layer 2, ReLU; a dense layer needs a flat input. "
            + "Add [Flatten] (or [GlobalAvgPool, Flatten]) before it.",
            result.Message());
    }

    [Fact]
    public void Dense_after_GlobalAvgPool_without_Flatten_reports_DCNN0019()
    {
        DiagnosticAssert.Reports(Net("""
            [Input(3, 32, 32)]
            [Conv(16, 3), GlobalAvgPool, {|DCNN0019:Dense(10, InFeatures = 16)|}]
            """));
    }

    [Fact]
    public void Dense_after_GlobalAvgPool_and_Flatten_is_clean()
    {
        InfersShapes("""
            [Input(3, 32, 32)]
            [Conv(16, 3), GlobalAvgPool, Flatten, Dense(10, InFeatures = 16)]
            """, "[N, 3, 32, 32]", "[N, 10]");
    }

    // DCNN0020: an explicit InFeatures that disagrees with the inferred one.

    [Fact]
    public void Dense_after_Flatten_with_wrong_InFeatures_reports_DCNN0020_on_InFeatures()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(1, 28, 28)]
            [Conv(8, 3), MaxPool(2), Flatten, Dense(10, {|DCNN0020:InFeatures = 100|})]
            """));

        Assert.Equal(
            "Dense(10, InFeatures = 100) (layer 4): InFeatures = 100, but it receives 1352 features from layer 3, Flatten; "
            + "remove InFeatures to infer it, or fix the layers before it",
            result.Message());
    }

    [Fact]
    public void InFeatures_written_as_an_expression_is_shown_as_written_with_its_value()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(1, 28, 28)]
            [Conv(8, 3), MaxPool(2), Flatten, Dense(128, {|DCNN0020:InFeatures = 64 * 7 * 7|})]
            """));

        Assert.Equal(
            "Dense(128, InFeatures = 64 * 7 * 7 (3136)) (layer 4): InFeatures = 64 * 7 * 7 (3136), but it receives 1352 features from layer 3, Flatten; "
            + "remove InFeatures to infer it, or fix the layers before it",
            result.Message());
    }

    [Fact]
    public void Second_Dense_with_wrong_InFeatures_reports_DCNN0020()
    {
        DiagnosticAssert.Reports(Net("""
            [Input(1, 28, 28)]
            [Flatten, Dense(128, InFeatures = 784), ReLU, Dense(10, {|DCNN0020:InFeatures = 784|})]
            """));
    }

    [Fact]
    public void Dense_after_Flatten_with_right_InFeatures_is_clean()
    {
        InfersShapes("""
            [Input(1, 28, 28)]
            [Conv(8, 3), MaxPool(2), Flatten, Dense(10, InFeatures = 1352)]
            """, "[N, 1, 28, 28]", "[N, 10], 13,610 parameters");
    }

    // DCNN0021: a layer that needs a feature map receives a flat vector.

    [Theory]
    [InlineData("Flatten, {|DCNN0021:Conv(8, 3)|}", "Conv(8, 3) (layer 2) receives the flat vector 784 from layer 1, Flatten")]
    [InlineData("Flatten, {|DCNN0021:LocalResponseNorm(5)|}", "LocalResponseNorm(5) (layer 2) receives the flat vector 784")]
    [InlineData("Flatten, Dense(64), {|DCNN0021:MaxPool(2)|}", "MaxPool(2) (layer 3) receives the flat vector 64 from layer 2, Dense(64)")]
    [InlineData("Flatten, {|DCNN0021:AvgPool(2)|}", "AvgPool(2) (layer 2) receives the flat vector 784")]
    [InlineData("Flatten, {|DCNN0021:GlobalAvgPool|}", "GlobalAvgPool (layer 2) receives the flat vector 784")]
    [InlineData("Flatten, {|DCNN0021:AdaptiveAvgPool(2)|}", "AdaptiveAvgPool(2) (layer 2) receives the flat vector 784")]
    [InlineData("Flatten, {|DCNN0021:Upsample(2)|}", "Upsample(2) (layer 2) receives the flat vector 784")]
    public void Layer_that_needs_a_feature_map_after_Flatten_reports_DCNN0021(string layers, string message)
    {
        var result = DiagnosticAssert.Reports(Net($"""
            [Input(1, 28, 28)]
            [{layers}]
            """));

        Assert.StartsWith(message, result.Message(), Ordinal);
    }

    [Fact]
    public void Feature_map_layers_before_Flatten_and_flat_layers_after_it_are_clean()
    {
        var result = InfersShapes("""
            [Input(1, 28, 28)]
            [LocalResponseNorm(5), Conv(8, 3), BatchNorm, MaxPool(2), Flatten, Flatten, BatchNorm, Dropout, Dense(10), Softmax]
            """, "[N, 1, 28, 28]", "[N, 10]");

        var generated = result.Source("App.Net.g.cs");
        Assert.Contains("BatchNorm2d bn1;", generated, Ordinal);
        Assert.Contains("BatchNorm1d bn2;", generated, Ordinal);
    }

    // DCNN0022: softmax dimension out of range.

    [Theory]
    [InlineData("Flatten, Dense(10), Softmax({|DCNN0022:Dim = 2|})", "Dim = 2 is out of range for its 2-D input [N, 10]; use a value from -2 to 1")]
    [InlineData("Flatten, Dense(10), LogSoftmax({|DCNN0022:Dim = -3|})", "Dim = -3 is out of range for its 2-D input [N, 10]; use a value from -2 to 1")]
    [InlineData("Conv(8, 3), Softmax({|DCNN0022:Dim = 4|})", "Dim = 4 is out of range for its 4-D input [N, 8, 26, 26]; use a value from -4 to 3")]
    [InlineData("Conv(8, 3), LogSoftmax({|DCNN0022:Dim = -5|})", "Dim = -5 is out of range for its 4-D input [N, 8, 26, 26]; use a value from -4 to 3")]
    public void Softmax_Dim_out_of_range_reports_DCNN0022_on_Dim(string layers, string message)
    {
        var result = DiagnosticAssert.Reports(Net($"""
            [Input(1, 28, 28)]
            [{layers}]
            """));

        Assert.EndsWith(message, result.Message(), Ordinal);
    }

    [Theory]
    [InlineData("Flatten, Dense(10), Softmax(Dim = -2)", "[N, 10]")]
    [InlineData("Flatten, Dense(10), LogSoftmax(Dim = 1)", "[N, 10]")]
    [InlineData("Flatten, Dense(10), Softmax(Dim = 0)", "[N, 10]")]
    [InlineData("Conv(8, 3), Softmax(Dim = 3)", "[N, 8, 26, 26]")]
    [InlineData("Conv(8, 3), LogSoftmax(Dim = -4)", "[N, 8, 26, 26]")]
    public void Softmax_Dim_in_range_is_clean(string layers, string output)
    {
        InfersShapes($"""
            [Input(1, 28, 28)]
            [{layers}]
            """, "[N, 1, 28, 28]", output);
    }

    // DCNN0023: 64-bit overflow.

    [Fact]
    public void Dense_of_int_MaxValue_after_a_huge_Flatten_reports_DCNN0023()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(1, int.MaxValue, int.MaxValue)]
            [Flatten, {|DCNN0023:Dense(int.MaxValue)|}]
            """));

        Assert.Equal(
            "Dense(2147483647) (layer 2) receives 4611686014132420609 from layer 1, Flatten; "
            + "its output size, parameter count or multiply-add count overflows 64-bit arithmetic",
            result.Message());
    }

    [Fact]
    public void Flatten_of_huge_Input_dimensions_reports_DCNN0023()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(int.MaxValue, int.MaxValue, int.MaxValue)]
            [{|DCNN0023:Flatten|}]
            """));

        Assert.StartsWith("Flatten (layer 1) receives 2147483647x2147483647x2147483647 from the input;", result.Message(), Ordinal);
    }

    [Fact]
    public void Conv_parameter_count_over_64_bits_reports_DCNN0023()
    {
        DiagnosticAssert.Reports(Net("""
            [Input(int.MaxValue, 8, 8)]
            [{|DCNN0023:Conv(int.MaxValue, 3)|}]
            """));
    }

    [Fact]
    public void Total_parameter_count_over_64_bits_reports_DCNN0023_on_the_layer_that_overflows_it()
    {
        // Each convolution has (2^31 - 1)^2 + 2^31 - 1 parameters, which fits; three of them do not.
        var result = DiagnosticAssert.Reports(Net("""
            [Input(int.MaxValue, 1, 1)]
            [Conv(int.MaxValue, 1), Conv(int.MaxValue, 1), {|DCNN0023:Conv(int.MaxValue, 1)|}]
            """));

        Assert.EndsWith("its parameter count, added to those of the layers before it, overflows 64-bit arithmetic", result.Message(), Ordinal);
    }

    [Fact]
    public void Upsample_by_a_huge_factor_reports_DCNN0023()
    {
        DiagnosticAssert.Reports(Net("""
            [Input(1, 2, 2)]
            [{|DCNN0023:Upsample(1e300)|}]
            """));
    }

    [Fact]
    public void Largest_shapes_that_fit_in_64_bits_are_clean()
    {
        InfersShapes("""
            [Input(1, int.MaxValue, int.MaxValue)]
            [Flatten, Dense(1)]
            """, "[N, 1, 2147483647, 2147483647]", "[N, 1], 4,611,686,014,132,420,610 parameters");
    }

    [Fact]
    public void Two_layers_just_under_the_64_bit_parameter_total_are_clean()
    {
        InfersShapes("""
            [Input(int.MaxValue, 1, 1)]
            [Conv(int.MaxValue, 1), Conv(int.MaxValue, 1)]
            """, "[N, 2147483647, 1, 1]", "[N, 2147483647, 1, 1], 9,223,372,032,559,808,512 parameters");
    }
}
