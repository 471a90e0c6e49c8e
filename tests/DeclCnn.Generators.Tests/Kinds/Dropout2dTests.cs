using System;
using DeclCnn.Generators.Tests.Infrastructure;
using Xunit;
using static DeclCnn.Generators.Tests.Diagnostics.Models;

namespace DeclCnn.Generators.Tests.Kinds;

/// <summary><c>[Dropout2d]</c>: the shape is kept, the generated factory call, and the probability's range.</summary>
public class Dropout2dTests
{
    private const StringComparison Ordinal = StringComparison.Ordinal;

    [Fact]
    public void Writes_the_probability_only_when_it_is_not_the_default()
    {
        var source = InfersShapes("""
            [Input(3, 8, 8)]
            [Conv(8, 3), Dropout2d, Conv(8, 3), Dropout2d(0.2)]
            """, "[N, 3, 8, 8]", "[N, 8, 4, 4]").Source("App.Net.g.cs");

        Assert.Contains("private readonly global::TorchSharp.Modules.Dropout2d dropout1;", source, Ordinal);
        Assert.Contains("dropout1 = global::TorchSharp.torch.nn.Dropout2d();", source, Ordinal);
        Assert.Contains("dropout2 = global::TorchSharp.torch.nn.Dropout2d(0.2);", source, Ordinal);
    }

    [Theory]
    [InlineData("Dropout2d({|DCNN0018:1.0|})")]
    [InlineData("Dropout2d({|DCNN0018:-0.1|})")]
    public void A_probability_outside_0_to_1_is_reported(string layer)
    {
        var result = DiagnosticAssert.Reports(Net($"""
            [Input(3, 8, 8)]
            [{layer}]
            """));

        Assert.StartsWith("Dropout2d(", result.Message(), Ordinal);
    }
}
