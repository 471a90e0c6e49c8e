using System;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Shapes;

/// <summary>Declared weight initialization: the statistics of initialized weights match each scheme.</summary>
public class InitializationTests
{
    [Fact]
    public void Kaiming_and_Xavier_weights_have_the_expected_spread_and_biases_are_zero()
    {
        manual_seed(11);
        using var model = new InitializedModel();
        var weights = model.state_dict();

        // Kaiming normal, fan-out: std = sqrt(2 / (256 * 3 * 3)).
        AssertClose(Math.Sqrt(2.0 / (256 * 9)), Std(weights["conv1.weight"]), 0.03);
        // The layer's own Kaiming uniform (fan-out from the class): bound = sqrt(6 / (128 * 9)), std = bound / sqrt(3).
        AssertClose(Math.Sqrt(6.0 / (128 * 9)) / Math.Sqrt(3), Std(weights["conv2.weight"]), 0.03);
        Assert.True(weights["conv2.weight"].abs().max().item<float>() <= Math.Sqrt(6.0 / (128 * 9)) + 1e-6);
        // Xavier uniform: bound = sqrt(6 / (fan_in + fan_out)).
        var bound = Math.Sqrt(6.0 / (128 * 64 + 512));
        AssertClose(bound / Math.Sqrt(3), Std(weights["fc1.weight"]), 0.03);
        Assert.True(weights["fc1.weight"].abs().max().item<float>() <= bound + 1e-6);
        // The layer's own Xavier normal: std = sqrt(2 / (fan_in + fan_out)).
        AssertClose(Math.Sqrt(2.0 / (512 + 64)), Std(weights["fc2.weight"]), 0.05);
        foreach (var bias in new[] { "conv1.bias", "conv2.bias", "fc1.bias", "fc2.bias" })
        {
            Assert.Equal(0f, weights[bias].abs().max().item<float>());
        }
    }

    [Fact]
    public void Normal_uses_the_declared_std_and_Constant_the_declared_value()
    {
        manual_seed(12);
        using var model = new NormalAndConstantModel();
        var weights = model.state_dict();

        AssertClose(0.02, Std(weights["conv1.weight"]), 0.05);
        AssertClose(0.0, weights["conv1.weight"].mean().item<float>(), absolute: 0.002);
        Assert.True(weights["fc.weight"].eq(0.5f).all().item<bool>());
    }

    [Fact]
    public void Zero_init_residual_zeroes_the_last_batch_norm_so_blocks_start_as_identity()
    {
        manual_seed(13);
        using var model = new ZeroInitResidualModel();
        var weights = model.state_dict();

        Assert.Equal(0f, weights["layer1.0.bn2.weight"].abs().max().item<float>());
        Assert.Equal(1f, weights["layer1.0.bn1.weight"].min().item<float>());
        // The projection's convolution is initialized like the others: Kaiming normal, fan-out = 16.
        AssertClose(Math.Sqrt(2.0 / 16), Std(weights["layer2.0.downsample.0.weight"]), 0.25);

        // With the body's output at zero, the first block passes its (non-negative) input through.
        model.eval();
        using var input = rand(2, 8, 8, 8);
        var firstBlock = (nn.Module<Tensor, Tensor>)((TorchSharp.Modules.Sequential)model.named_children().First().module)[0];
        using var output = firstBlock.call(input);
        Assert.True(output.allclose(input));
    }

    [Fact]
    public void Group_norm_starts_at_weight_one_and_bias_zero_as_in_PyTorch()
    {
        // TorchSharp's GroupNorm allocates its weight and bias with torch.empty; freed NaNs make stale memory show.
        for (int i = 0; i < 20; i++)
        {
            using var stale = full(8, double.NaN);
        }

        using var model = new Interchange.Onnx.Networks.EveryKindNetwork();
        var weights = model.state_dict();

        foreach (var block in new[] { "layer1.0", "layer1.1" })
        {
            Assert.True(weights[$"{block}.gn1.weight"].eq(1f).all().item<bool>(), $"{block}.gn1.weight is not all ones");
            Assert.True(weights[$"{block}.gn1.bias"].eq(0f).all().item<bool>(), $"{block}.gn1.bias is not all zeros");
        }
    }

    private static double Std(Tensor weight) => weight.std().item<float>();

    private static void AssertClose(double expected, double actual, double relative = 0, double absolute = 0)
    {
        var tolerance = Math.Max(absolute, Math.Abs(expected) * relative);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected} (±{tolerance}), got {actual}");
    }
}
