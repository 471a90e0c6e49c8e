using DeclCnn.Runtime;
using Xunit;

namespace DeclCnn.Oracle.Tests;

/// <summary>Disagreements the oracle found, kept as regression tests with their minimal declarations.</summary>
public class OracleRegressionTests
{
    public OracleRegressionTests() => TorchSharpNative.EnsureLoaded();

    [Fact]
    public void Global_average_pooling_of_a_flat_vector_is_rejected_although_libtorch_averages_the_batch()
    {
        var declaration = new Declaration(1, 2, 3, new OracleLayer[] { new FlattenLayer(), new AdaptivePoolLayer(1, 1, Global: true) });

        var generated = OracleHarness.Generate(declaration);
        var (byHand, failure) = OracleHarness.RunByHand(declaration);

        Assert.Equal("DCNN0021", Assert.Single(generated.Diagnostics).Id);
        // The quirk DeclCnn protects against: [2, 6] in, [1, 1] out, the batch averaged away.
        Assert.Null(failure);
        Assert.Equal("AdaptiveAvgPool2d [1] 0", byHand!.Rows[^1]);
    }
}
