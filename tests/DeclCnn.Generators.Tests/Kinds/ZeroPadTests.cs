using System;
using DeclCnn.Generators.Tests.Infrastructure;
using Xunit;
using static DeclCnn.Generators.Tests.Diagnostics.Models;

namespace DeclCnn.Generators.Tests.Kinds;

/// <summary><c>[ZeroPad]</c>: PyTorch's side order, the generated factory call, and what is stricter than PyTorch.</summary>
public class ZeroPadTests
{
    private const StringComparison Ordinal = StringComparison.Ordinal;

    [Fact]
    public void Pads_left_right_top_bottom_in_PyTorch_order()
    {
        var source = InfersShapes("""
            [Input(3, 5, 5)]
            [ZeroPad(1), ZeroPad(1, 2, 3, 4)]
            """, "[N, 3, 5, 5]", "[N, 3, 14, 10]").Source("App.Net.g.cs");

        Assert.Contains("pad1 = global::TorchSharp.torch.nn.ZeroPad2d(1);", source, Ordinal);
        Assert.Contains("pad2 = global::TorchSharp.torch.nn.ZeroPad2d((1, 2, 3, 4));", source, Ordinal);
    }

    [Fact]
    public void A_negative_side_is_reported_on_its_argument()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(3, 5, 5)]
            [ZeroPad(1, {|DCNN0009:-1|}, 0, 0)]
            """));

        Assert.Equal("ZeroPad(1, -1, 0, 0) (layer 1): Right must be zero or positive, but is -1", result.Message());
    }

    [Fact]
    public void A_flat_input_is_reported()
    {
        DiagnosticAssert.Reports(Net("""
            [Input(3, 5, 5)]
            [Flatten, {|DCNN0021:ZeroPad(1)|}]
            """));
    }
}
