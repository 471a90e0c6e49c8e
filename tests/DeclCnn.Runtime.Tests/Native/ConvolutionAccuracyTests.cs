using System;
using DeclCnn.Runtime.Native;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests;

/// <summary>
/// libtorch 2.10's float32 convolution computed wrong values with oneDNN's AVX-512 kernels (a 7x7 kernel over a 7x7
/// input, 64 to 128 channels) and its AVX2 kernels (11 to 4 channels, 3x3) on an AMD EPYC; the runtime caps oneDNN
/// at SSE4.1 when the native library loads. These run the shapes that went wrong, and their neighbours, against
/// float64 in this process.
/// </summary>
public sealed class ConvolutionAccuracyTests
{
    [Theory]
    [InlineData(64, 128, 7, 7, 3, 0)]
    [InlineData(64, 128, 7, 7, 1, 0)]
    [InlineData(64, 128, 7, 8, 3, 0)]
    [InlineData(64, 128, 5, 5, 3, 0)]
    [InlineData(11, 4, 3, 16, 2, 1)]
    [InlineData(11, 4, 2, 8, 3, 1)]
    [InlineData(7, 8, 3, 20, 2, 1)]
    [InlineData(3, 8, 3, 16, 3, 1)]
    public void Float32_convolution_agrees_with_float64(int inChannels, int outChannels, int kernel, int size, int batch, int padding)
    {
        TorchSharpNative.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed: 7);
        var input = randn([batch, inChannels, size, size], generator: generator);
        var weight = randn([outChannels, inChannels, kernel, kernel], generator: generator) * 0.2;

        var single = nn.functional.conv2d(input, weight, padding: [padding, padding]).to(float64);
        var exact = nn.functional.conv2d(input.to(float64), weight.to(float64), padding: [padding, padding]);

        double difference = (single - exact).abs().max().item<double>() / exact.abs().max().item<double>();
        Assert.True(difference < 1e-5, $"float32 conv2d ({inChannels} to {outChannels} channels, {kernel}x{kernel} over {size}x{size}, padding {padding}, batch {batch}) is {difference:G3} off float64; {TorchSharpNative.Diagnostics}");
    }

    [Fact]
    public void The_native_load_caps_onednn_unless_the_user_chose()
    {
        TorchSharpNative.EnsureLoaded();
        Assert.Contains(OneDnnIsaCap.Variable, TorchSharpNative.Diagnostics, StringComparison.Ordinal);
    }
}
