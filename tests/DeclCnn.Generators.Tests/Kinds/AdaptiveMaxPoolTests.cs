using System;
using DeclCnn.Generators.Tests.Infrastructure;
using Xunit;
using static DeclCnn.Generators.Tests.Diagnostics.Models;

namespace DeclCnn.Generators.Tests.Kinds;

/// <summary><c>[AdaptiveMaxPool]</c> and <c>[GlobalMaxPool]</c>: the requested size, and the generated factory calls.</summary>
public class AdaptiveMaxPoolTests
{
    private const StringComparison Ordinal = StringComparison.Ordinal;

    [Fact]
    public void Pools_to_the_requested_size_larger_ones_included()
    {
        var source = InfersShapes("""
            [Input(3, 5, 5)]
            [AdaptiveMaxPool(7, 9), GlobalMaxPool, Flatten]
            """, "[N, 3, 5, 5]", "[N, 3]").Source("App.Net.g.cs");

        Assert.Contains("private readonly global::TorchSharp.Modules.AdaptiveMaxPool2d maxpool1;", source, Ordinal);
        Assert.Contains("maxpool1 = global::TorchSharp.torch.nn.AdaptiveMaxPool2d(new long[] { 7, 9 });", source, Ordinal);
        Assert.Contains("maxpool2 = global::TorchSharp.torch.nn.AdaptiveMaxPool2d(new long[] { 1, 1 });", source, Ordinal);
    }

    [Fact]
    public void A_single_global_max_pool_is_named_maxpool()
    {
        var source = InfersShapes("""
            [Input(3, 5, 5)]
            [Conv(4, 3), GlobalMaxPool, Flatten, Dense(2)]
            """, "[N, 3, 5, 5]", "[N, 2]").Source("App.Net.g.cs");

        Assert.Contains("register_module(\"maxpool\", maxpool);", source, Ordinal);
    }

    [Fact]
    public void A_flat_input_is_reported()
    {
        var result = DiagnosticAssert.Reports(Net("""
            [Input(3, 5, 5)]
            [Flatten, {|DCNN0021:GlobalMaxPool|}]
            """));

        Assert.StartsWith("GlobalMaxPool (layer 2) receives the flat vector 75 from layer 1, Flatten;", result.Message(), Ordinal);
    }

    [Fact]
    public void A_zero_size_is_out_of_range()
    {
        DiagnosticAssert.Reports(Net("""
            [Input(3, 5, 5)]
            [AdaptiveMaxPool(2, {|DCNN0009:0|})]
            """));
    }
}
