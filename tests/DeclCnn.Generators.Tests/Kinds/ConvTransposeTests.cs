using System;
using DeclCnn.Generators.Tests.Infrastructure;
using Xunit;
using static DeclCnn.Generators.Tests.Diagnostics.Models;

namespace DeclCnn.Generators.Tests.Kinds;

/// <summary><c>[ConvTranspose]</c>: PyTorch's transposed size, the generated factory call, and its diagnostics.</summary>
public class ConvTransposeTests
{
    private const StringComparison Ordinal = StringComparison.Ordinal;

    [Theory]
    // (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1
    [InlineData("ConvTranspose(4, 2, Stride = 2)", "[N, 4, 14, 14], 36 parameters")]
    [InlineData("ConvTranspose(4, 3, Stride = 2, Padding = 1, OutputPadding = 1)", "[N, 4, 14, 14], 76 parameters")]
    [InlineData("ConvTranspose(4, 3, Dilation = 2, OutputPadding = 1)", "[N, 4, 12, 12], 76 parameters")]
    [InlineData("ConvTranspose(4, 3, 1, Stride = new[] { 2, 1 }, Groups = 2, Bias = false)", "[N, 4, 15, 7], 12 parameters")]
    public void Infers_PyTorch_transposed_sizes_and_weights(string layer, string output)
    {
        InfersShapes($"""
            [Input(2, 7, 7)]
            [{layer}]
            """, "[N, 2, 7, 7]", output);
    }

    [Fact]
    public void Writes_only_the_arguments_that_differ_from_PyTorch_defaults()
    {
        var source = InfersShapes("""
            [Input(2, 7, 7)]
            [ConvTranspose(4, 3, Stride = 2, Padding = 1, OutputPadding = 1, Bias = false)]
            [ConvTranspose(1, 3, 1, Dilation = new[] { 1, 2 })]
            """, "[N, 2, 7, 7]", "[N, 1, 16, 14]").Source("App.Net.g.cs");

        Assert.Contains("private readonly global::TorchSharp.Modules.ConvTranspose2d deconv1;", source, Ordinal);
        Assert.Contains("deconv1 = global::TorchSharp.torch.nn.ConvTranspose2d(2, 4, kernel_size: 3, stride: 2, padding: 1, output_padding: 1, bias: false);", source, Ordinal);
        Assert.Contains("deconv2 = global::TorchSharp.torch.nn.ConvTranspose2d(4, 1, kernel_size: (3, 1), dilation: (1, 2));", source, Ordinal);
    }

    [Fact]
    public void Output_padding_must_be_less_than_the_stride_or_the_dilation()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(2, 7, 7)]
            [ConvTranspose(4, 3, Stride = 2, {|DCNN0009:OutputPadding = 2|})]
            """));

        Assert.Equal(
            "ConvTranspose(4, 3, Stride = 2, OutputPadding = 2) (layer 1): OutputPadding must be less than the larger of Stride and Dilation, 2, but is 2",
            result.Message());
    }

    [Fact]
    public void Output_padding_below_the_dilation_is_allowed_at_stride_1()
    {
        InfersShapes("""
            [Input(2, 7, 7)]
            [ConvTranspose(4, 3, Dilation = 3, OutputPadding = 2)]
            """, "[N, 2, 7, 7]", "[N, 4, 15, 15]");
    }

    [Fact]
    public void Groups_must_divide_both_channel_counts()
    {
        DiagnosticAssert.Reports(Net("""
            [Input(3, 7, 7)]
            [ConvTranspose(4, 3, {|DCNN0016:Groups = 2|})]
            """));
    }

    [Fact]
    public void Padding_that_leaves_no_output_is_reported_on_the_padding()
    {
        DiagnosticAssert.Reports(Net("""
            [Input(2, 1, 1)]
            [ConvTranspose(4, 1, {|DCNN0013:Padding = 1|})]
            """));
    }
}
