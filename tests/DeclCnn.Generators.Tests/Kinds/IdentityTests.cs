using System;
using Xunit;
using static DeclCnn.Generators.Tests.Diagnostics.Models;

namespace DeclCnn.Generators.Tests.Kinds;

/// <summary><c>[Identity]</c>: a named, parameter-free pass-through.</summary>
public class IdentityTests
{
    private const StringComparison Ordinal = StringComparison.Ordinal;

    [Fact]
    public void Passes_any_input_through_as_a_named_submodule()
    {
        var source = InfersShapes("""
            [Input(3, 8, 8)]
            [Identity, Flatten, Identity(Name = "head")]
            """, "[N, 3, 8, 8]", "[N, 192]").Source("App.Net.g.cs");

        Assert.Contains("identity = global::TorchSharp.torch.nn.Identity();", source, Ordinal);
        Assert.Contains("head = global::TorchSharp.torch.nn.Identity();", source, Ordinal);
        Assert.Contains("register_module(\"head\", head);", source, Ordinal);
    }
}
