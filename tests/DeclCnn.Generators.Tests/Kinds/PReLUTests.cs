using System;
using DeclCnn.Generators.Tests.Infrastructure;
using Xunit;
using static DeclCnn.Generators.Tests.Diagnostics.Models;

namespace DeclCnn.Generators.Tests.Kinds;

/// <summary><c>[PReLU]</c>: one learned slope, or one per channel, and the generated factory call.</summary>
public class PReLUTests
{
    private const StringComparison Ordinal = StringComparison.Ordinal;

    [Theory]
    [InlineData("PReLU", "[N, 6, 5, 5], 1 parameters")]
    [InlineData("PReLU(PerChannel = true)", "[N, 6, 5, 5], 6 parameters")]
    public void Learns_one_slope_or_one_per_channel(string layer, string output)
    {
        InfersShapes($"""
            [Input(6, 5, 5)]
            [{layer}]
            """, "[N, 6, 5, 5]", output);
    }

    [Fact]
    public void Writes_the_number_of_slopes_and_a_non_default_initial_slope()
    {
        var source = InfersShapes("""
            [Input(3, 8, 8)]
            [Conv(8, 3), PReLU(PerChannel = true), Flatten, Dense(4), PReLU(InitialSlope = 0.1)]
            """, "[N, 3, 8, 8]", "[N, 4]").Source("App.Net.g.cs");

        Assert.Contains("prelu1 = global::TorchSharp.torch.nn.PReLU(8);", source, Ordinal);
        Assert.Contains("prelu2 = global::TorchSharp.torch.nn.PReLU(1, init: 0.1);", source, Ordinal);
        Assert.Contains("new(\"prelu1\", \"PReLU\", new long[] { 8, 6, 6 }, 8, 0),", source, Ordinal);
    }
}
