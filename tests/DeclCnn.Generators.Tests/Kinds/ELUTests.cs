using System;
using Xunit;
using static DeclCnn.Generators.Tests.Diagnostics.Models;

namespace DeclCnn.Generators.Tests.Kinds;

/// <summary><c>[ELU]</c>: the shape is kept, and the generated factory call.</summary>
public class ELUTests
{
    private const StringComparison Ordinal = StringComparison.Ordinal;

    [Fact]
    public void Writes_alpha_only_when_it_is_not_the_default()
    {
        var source = InfersShapes("""
            [Input(3, 8, 8)]
            [ELU, Flatten, Dense(4), ELU(Alpha = 0.5)]
            """, "[N, 3, 8, 8]", "[N, 4]").Source("App.Net.g.cs");

        Assert.Contains("private readonly global::TorchSharp.Modules.ELU elu1;", source, Ordinal);
        Assert.Contains("elu1 = global::TorchSharp.torch.nn.ELU();", source, Ordinal);
        Assert.Contains("elu2 = global::TorchSharp.torch.nn.ELU(alpha: 0.5);", source, Ordinal);
    }
}
