using DeclCnn.Generators.Tests.Infrastructure;
using Xunit;
using static DeclCnn.Generators.Tests.Diagnostics.Models;

namespace DeclCnn.Generators.Tests.Diagnostics;

/// <summary>
/// Layer arguments that are wrong on their own, whatever flows into the layer (DCNN0008 to
/// DCNN0012, DCNN0018): reported on the argument at fault.
/// </summary>
public class ArgumentDiagnosticsTests
{
    // DCNN0008: an object-typed size of the wrong type.

    [Theory]
    [InlineData("Conv(8, 3, {|DCNN0008:Stride = \"2\"|})")]
    [InlineData("Conv(8, 3, {|DCNN0008:Stride = 2.0|})")]
    [InlineData("Conv(8, 3, {|DCNN0008:Stride = new long[] { 1, 2 }|})")]
    [InlineData("Conv(8, 3, {|DCNN0008:Padding = 1.5|})")]
    [InlineData("Conv(8, 3, {|DCNN0008:Dilation = new[] { 1, 2, 3 }|})")]
    [InlineData("Conv(8, 3, {|DCNN0008:Padding = new[] { 1 }|})")]
    [InlineData("MaxPool(2, {|DCNN0008:Padding = \"same\"|})")]
    [InlineData("AvgPool(2, {|DCNN0008:Stride = true|})")]
    public void Size_argument_of_the_wrong_type_reports_DCNN0008(string layer)
    {
        DiagnosticAssert.Reports(Net($"""
            [Input(1, 28, 28)]
            [{layer}, Flatten, Dense(10)]
            """));
    }

    [Fact]
    public void DCNN0008_message_shows_the_value_given()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(1, 28, 28)]
            [Conv(8, 3, {|DCNN0008:Stride = "2"|})]
            """));

        Assert.Equal("Conv(8, 3, Stride = \"2\"): Stride must be an int or new[] { height, width }, but is \"2\"", result.Message());
    }

    [Fact]
    public void Argument_errors_stop_the_shape_check()
    {
        // MaxPool(2) on 1x1 would be DCNN0013, but placeholder values are not shape-checked.
        DiagnosticAssert.Reports(Net("""
            [Input(1, 1, 1)]
            [Conv(8, 1, {|DCNN0008:Stride = 2.0|}), MaxPool(2)]
            """));
    }

    [Theory]
    [InlineData("Conv(8, 3, Stride = 2)", "[N, 8, 13, 13]")]
    [InlineData("Conv(8, 3, Stride = new[] { 2, 1 })", "[N, 8, 13, 26]")]
    [InlineData("Conv(8, 3, Padding = new[] { 1, 0 })", "[N, 8, 28, 26]")]
    [InlineData("Conv(8, 3, Dilation = new[] { 1, 2 }, Stride = null)", "[N, 8, 26, 24]")]
    [InlineData("MaxPool(2, Padding = new[] { 0, 1 })", "[N, 1, 14, 15]")]
    public void Sizes_as_int_array_or_null_are_clean(string layer, string output)
    {
        InfersShapes($"""
            [Input(1, 28, 28)]
            [{layer}]
            """, "[N, 1, 28, 28]", output);
    }

    [Fact]
    public void Every_layer_option_at_once_is_clean()
    {
        InfersShapes("""
            [Input(3, 28, 28)]
            [Conv(8, 3, Padding = new[] { 1, 2 }, Dilation = new[] { 1, 2 }, Bias = false, Name = null)]
            [MaxPool(3, 2, Stride = new[] { 1, 2 }, Padding = new[] { 1, 1 }, Dilation = new[] { 2, 1 }, CeilMode = true)]
            [AvgPool(2, 3, Padding = new[] { 1, 0 }, CeilMode = true, CountIncludePad = false), AdaptiveAvgPool(6, 4)]
            [Upsample(1.5, Mode = "bilinear"), LocalResponseNorm(3, Alpha = 0.001, Beta = 0.5, K = 2)]
            [BatchNorm(Eps = 0.001, Momentum = 0.01), LeakyReLU(NegativeSlope = 0.2), SiLU, GELU, Tanh, Sigmoid]
            [Flatten, Dropout(0.25), Dense(5, Bias = false, InFeatures = 432), LogSoftmax(Dim = -1)]
            """, "[N, 3, 28, 28]", "[N, 5]");
    }

    // DCNN0009: a count or size out of range.

    [Theory]
    [InlineData("Conv({|DCNN0009:0|}, 3)")]
    [InlineData("Conv(8, {|DCNN0009:0|})")]
    [InlineData("Conv(8, 3, {|DCNN0009:-1|})")]
    [InlineData("Conv(8, 3, {|DCNN0009:Stride = 0|})")]
    [InlineData("Conv(8, 3, {|DCNN0009:Stride = new[] { 1, 0 }|})")]
    [InlineData("Conv(8, 3, {|DCNN0009:Dilation = 0|})")]
    [InlineData("Conv(8, 3, {|DCNN0009:Groups = 0|})")]
    [InlineData("Conv(8, 3, {|DCNN0009:Padding = -1|})")]
    [InlineData("MaxPool({|DCNN0009:0|})")]
    [InlineData("MaxPool(2, {|DCNN0009:Stride = 0|})")]
    [InlineData("MaxPool(2, {|DCNN0009:Dilation = -1|})")]
    [InlineData("AvgPool(2, {|DCNN0009:Padding = new[] { 0, -1 }|})")]
    [InlineData("AdaptiveAvgPool({|DCNN0009:0|})")]
    [InlineData("AdaptiveAvgPool(2, {|DCNN0009:0|})")]
    [InlineData("LocalResponseNorm({|DCNN0009:0|})")]
    [InlineData("Upsample({|DCNN0009:0|})")]
    [InlineData("Upsample({|DCNN0009:-2|})")]
    [InlineData("Upsample({|DCNN0009:double.NaN|})")]
    [InlineData("Upsample({|DCNN0009:double.PositiveInfinity|})")]
    [InlineData("Flatten, Dense({|DCNN0009:0|})")]
    [InlineData("Flatten, Dense(10, {|DCNN0009:InFeatures = -1|})")]
    public void Count_or_size_out_of_range_reports_DCNN0009_on_the_argument(string layers)
    {
        DiagnosticAssert.Reports(Net($"""
            [Input(1, 28, 28)]
            [{layers}]
            """));
    }

    [Fact]
    public void DCNN0009_message_names_the_argument_and_its_range()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(1, 28, 28)]
            [Conv(8, 3, {|DCNN0009:Groups = 0|})]
            """));

        Assert.Equal("Conv(8, 3, Groups = 0) (layer 1): Groups must be positive, but is 0", result.Message());
    }

    [Fact]
    public void Smallest_valid_counts_and_sizes_are_clean()
    {
        InfersShapes("""
            [Input(1, 28, 28)]
            [Conv(1, 1, Stride = 1, Dilation = 1, Groups = 1, Padding = 0), MaxPool(1), AvgPool(1, Padding = 0)]
            [LocalResponseNorm(1), Upsample(0.5), AdaptiveAvgPool(1), Flatten, Dense(1, InFeatures = 0)]
            """, "[N, 1, 28, 28]", "[N, 1]");
    }

    // DCNN0010: unknown padding string.

    [Theory]
    [InlineData("sam", " (did you mean \"same\"?)")]
    [InlineData("Same", " (did you mean \"same\"?)")]
    [InlineData("vaild", " (did you mean \"valid\"?)")]
    [InlineData("full", "")]
    [InlineData("", "")]
    public void Unknown_padding_string_reports_DCNN0010_on_Padding(string padding, string didYouMean)
    {
        var result = DiagnosticAssert.Reports(Net($$"""
            [Input(1, 28, 28)]
            [Conv(8, 3, {|DCNN0010:Padding = "{{padding}}"|}), Flatten, Dense(10)]
            """));

        Assert.Contains($"unknown padding \"{padding}\"{didYouMean}; use an int", result.Message(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("same", "[N, 8, 28, 28]")]
    [InlineData("valid", "[N, 8, 26, 26]")]
    public void Padding_same_and_valid_are_clean(string padding, string output)
    {
        InfersShapes($"""
            [Input(1, 28, 28)]
            [Conv(8, 3, Padding = "{padding}")]
            """, "[N, 1, 28, 28]", output);
    }

    // DCNN0011: unknown upsampling mode.

    [Theory]
    [InlineData("bicubic", "")]
    [InlineData("Nearest", " (did you mean \"nearest\"?)")]
    [InlineData("biliner", " (did you mean \"bilinear\"?)")]
    public void Unknown_upsampling_mode_reports_DCNN0011_on_Mode(string mode, string didYouMean)
    {
        var result = DiagnosticAssert.Reports(Net($$"""
            [Input(1, 28, 28)]
            [Upsample(2, {|DCNN0011:Mode = "{{mode}}"|})]
            """));

        Assert.Equal($"Upsample(2, Mode = \"{mode}\") (layer 1): unknown mode \"{mode}\"{didYouMean}; use \"nearest\" or \"bilinear\"", result.Message());
    }

    [Theory]
    [InlineData("nearest")]
    [InlineData("bilinear")]
    public void Upsampling_modes_nearest_and_bilinear_are_clean(string mode)
    {
        InfersShapes($"""
            [Input(1, 28, 28)]
            [Upsample(2, Mode = "{mode}")]
            """, "[N, 1, 28, 28]", "[N, 1, 56, 56]");
    }

    // DCNN0012: layer names.

    [Fact]
    public void Duplicate_layer_name_reports_DCNN0012_on_the_second_Name()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(1, 28, 28)]
            [Conv(8, 3, Name = "features"), ReLU, Conv(8, 3, {|DCNN0012:Name = "features"|})]
            """));

        Assert.Equal("Conv(8, 3) (layer 3): the name \"features\" is already used by layer 1", result.Message());
    }

    [Fact]
    public void Default_name_taken_by_an_explicit_name_reports_DCNN0012_on_the_unnamed_layer()
    {
        // Unnamed convolutions are numbered conv1, conv2: the second collides with layer 1's name.
        DiagnosticAssert.Reports(Net("""
            [Input(1, 28, 28)]
            [Conv(8, 3, Name = "conv2"), Conv(8, 3), {|DCNN0012:Conv(8, 3)|}]
            """));
    }

    [Theory]
    [InlineData("conv-1", "is not a valid C# identifier")]
    [InlineData("1conv", "is not a valid C# identifier")]
    [InlineData("class", "is not a valid C# identifier")]
    [InlineData("", "is not a valid C# identifier")]
    [InlineData("forward", "is a member of TorchSharp's Module")]
    [InlineData("parameters", "is a member of TorchSharp's Module")]
    [InlineData("Summary", "is a member of TorchSharp's Module")]
    [InlineData("Net", "is the class name")]
    [InlineData("input", "is reserved for the generated forward method's variables")]
    [InlineData("x1", "is reserved for the generated forward method's variables")]
    [InlineData("x12", "is reserved for the generated forward method's variables")]
    public void Unusable_layer_name_reports_DCNN0012_on_Name(string name, string reason)
    {
        var result = DiagnosticAssert.Reports(Net($$"""
            [Input(1, 28, 28)]
            [Conv(8, 3), ReLU({|DCNN0012:Name = "{{name}}"|})]
            """));

        Assert.Equal($"ReLU (layer 2): the name \"{name}\" {reason}", result.Message());
    }

    [Fact]
    public void Unique_valid_layer_names_are_clean()
    {
        var result = DiagnosticAssert.IsClean(Net("""
            [Input(1, 28, 28)]
            [Conv(8, 3, Name = "stem"), ReLU(Name = "x"), Conv(8, 3, Name = "X1")]
            [Flatten(Name = "inputs"), Dense(10, Name = "classifier")]
            """));

        var generated = result.Source("App.Net.g.cs");
        Assert.Contains("register_module(\"stem\", stem);", generated, System.StringComparison.Ordinal);
        Assert.Contains("register_module(\"classifier\", classifier);", generated, System.StringComparison.Ordinal);
    }

    // DCNN0018: dropout probability outside [0, 1).

    [Theory]
    [InlineData("Dropout({|DCNN0018:1|})", "1")]
    [InlineData("Dropout({|DCNN0018:1.5|})", "1.5")]
    [InlineData("Dropout({|DCNN0018:-0.1|})", "-0.1")]
    [InlineData("Dropout({|DCNN0018:p: double.NaN|})", "NaN")]
    public void Dropout_probability_outside_0_to_1_reports_DCNN0018_on_the_probability(string layer, string shown)
    {
        var result = DiagnosticAssert.Reports(Net($"""
            [Input(1, 28, 28)]
            [Flatten, {layer}, Dense(10)]
            """));

        Assert.EndsWith($"the dropout probability must be in [0, 1), but is {shown}", result.Message(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Dropout")]
    [InlineData("Dropout(0)")]
    [InlineData("Dropout(0.99)")]
    public void Dropout_probability_in_0_to_1_is_clean(string layer)
    {
        InfersShapes($"""
            [Input(1, 28, 28)]
            [Flatten, {layer}, Dense(10)]
            """, "[N, 1, 28, 28]", "[N, 10]");
    }
}
