using System;
using DeclCnn.Runtime.Native;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests;

/// <summary>
/// libtorch 2.10's float32 convolution took a wrong AVX-512 oneDNN path on an AMD EPYC (8.7 % off for a 7x7 kernel
/// over a 7x7 input at batch 3); the runtime caps oneDNN at AVX2 when the native library loads. These run the
/// shapes that went wrong, and their neighbours, against float64 in this process.
/// </summary>
public sealed class ConvolutionAccuracyTests
{
    [Theory]
    [InlineData(7, 7, 3)]
    [InlineData(7, 7, 1)]
    [InlineData(7, 8, 3)]
    [InlineData(5, 5, 3)]
    [InlineData(3, 7, 64)]
    public void Float32_convolution_agrees_with_float64(int kernel, int size, int batch)
    {
        TorchSharpNative.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed: 7);
        var input = randn([batch, 64, size, size], generator: generator);
        var weight = randn([128, 64, kernel, kernel], generator: generator) * 0.05;

        var single = nn.functional.conv2d(input, weight).to(float64);
        var exact = nn.functional.conv2d(input.to(float64), weight.to(float64));

        double difference = (single - exact).abs().max().item<double>() / exact.abs().max().item<double>();
        Assert.True(difference < 1e-5, $"float32 conv2d ({kernel}x{kernel} over {size}x{size}, batch {batch}) is {difference:G3} off float64; {TorchSharpNative.Diagnostics}");
    }

    [Fact]
    public void The_native_load_caps_onednn_unless_the_user_chose()
    {
        TorchSharpNative.EnsureLoaded();
        Assert.Contains(OneDnnIsaCap.Variable, TorchSharpNative.Diagnostics, StringComparison.Ordinal);
    }
}
