using System;
using DeclCnn.Generators.Tests.Infrastructure;
using Xunit;
using static DeclCnn.Generators.Tests.Diagnostics.Models;

namespace DeclCnn.Generators.Tests.Kinds;

/// <summary><c>[GroupNorm]</c>: the shape and parameter count, the generated factory call, and DCNN0033.</summary>
public class GroupNormTests
{
    private const StringComparison Ordinal = StringComparison.Ordinal;

    [Theory]
    [InlineData("GroupNorm(2)", "[N, 6, 5, 5], 12 parameters")]
    [InlineData("GroupNorm(6, Affine = false)", "[N, 6, 5, 5], 0 parameters")]
    public void Keeps_the_shape_with_2C_parameters_when_affine(string layer, string output)
    {
        InfersShapes($"""
            [Input(6, 5, 5)]
            [{layer}]
            """, "[N, 6, 5, 5]", output);
    }

    [Fact]
    public void Writes_the_groups_and_the_inferred_channels()
    {
        var source = InfersShapes("""
            [Input(3, 8, 8)]
            [Conv(8, 3, Padding = 1), GroupNorm(4), ReLU, GroupNorm(2, Eps = 0.001, Affine = false)]
            """, "[N, 3, 8, 8]", "[N, 8, 8, 8]").Source("App.Net.g.cs");

        Assert.Contains("private readonly global::TorchSharp.Modules.GroupNorm gn1;", source, Ordinal);
        Assert.Contains("gn1 = global::TorchSharp.torch.nn.GroupNorm(4, 8);", source, Ordinal);
        Assert.Contains("gn2 = global::TorchSharp.torch.nn.GroupNorm(2, 8, eps: 0.001, affine: false);", source, Ordinal);
    }

    [Fact]
    public void Groups_that_do_not_divide_the_channels_are_reported_on_the_groups()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(3, 8, 8)]
            [Conv(6, 3, Padding = 1), GroupNorm({|DCNN0033:4|})]
            """));

        Assert.Equal("GroupNorm(4) (layer 2) receives 6x8x8 from layer 1, Conv(6, 3, Padding = 1); Groups = 4 must divide its 6 channels", result.Message());
    }

    [Fact]
    public void Groups_that_divide_the_channels_are_clean()
    {
        DiagnosticAssert.IsClean(Net("""
            [Input(3, 8, 8)]
            [Conv(6, 3, Padding = 1), GroupNorm(3)]
            """));
    }

    [Fact]
    public void A_flat_input_is_reported_as_TorchSharp_rejects_it()
    {
        DiagnosticAssert.Reports(Net("""
            [Input(3, 8, 8)]
            [Flatten, {|DCNN0021:GroupNorm(3)|}]
            """));
    }

    [Fact]
    public void Zero_groups_are_out_of_range()
    {
        DiagnosticAssert.Reports(Net("""
            [Input(3, 8, 8)]
            [GroupNorm({|DCNN0009:0|})]
            """));
    }

    [Fact]
    public void Block_parameters_set_the_groups_of_each_use()
    {
        var result = DiagnosticAssert.IsClean("""
            using DeclCnn;

            namespace App;

            [Block]
            [Conv(Block.Channels, 3, Padding = 1), GroupNorm(Block.Channels / 4), ReLU]
            public partial class GnBlock;

            [Input(3, 8, 8)]
            [Stage<GnBlock>(8), Stage<GnBlock>(16)]
            public partial class Net;
            """);

        Assert.Contains("gn1 = global::TorchSharp.torch.nn.GroupNorm(channels / 4, channels);", result.Source("App.GnBlock.g.cs"), Ordinal);
    }
}
