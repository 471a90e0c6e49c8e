using System;
using DeclCnn.Runtime.Interchange.Onnx;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Interchange.Onnx;

/// <summary>
/// Each operation family on a tiny module built from TorchSharp's own layers, exported through the builder and run in
/// ONNX Runtime against TorchSharp's result, with the settings where the two conventions could part (asymmetric
/// padding, ceil mode, excluded padding, groups, dilation, coordinate modes).
/// </summary>
public class OperatorExportTests
{
    [Fact]
    public void Conv_with_stride_padding_dilation_groups_and_without_bias() =>
        Matches(nn.Sequential(("conv", nn.Conv2d(4, 6, 3, stride: 2, padding: 1, dilation: 2, groups: 2, bias: false))), [4, 9, 9], [6, 4, 4],
            static (onnx, x) => onnx.Conv(x, "conv", stride: [2, 2], pads: [1, 1, 1, 1], dilation: [2, 2], groups: 2));

    [Fact]
    public void Conv_same_with_an_even_kernel_pads_one_more_after() =>
        Matches(nn.Sequential(("conv", nn.Conv2d(3, 5, 4, padding: TorchSharp.Padding.Same))), [3, 7, 7], [5, 7, 7],
            static (onnx, x) => onnx.Conv(x, "conv", pads: [1, 1, 2, 2]));

    [Theory]
    [InlineData(1L, 1L)]
    [InlineData(2L, 2L)]
    public void ConvTranspose_with_output_padding(long dilation, long groups) =>
        Matches(nn.Sequential(("up", nn.ConvTranspose2d(4, 6, 3, stride: 2, padding: 1, output_padding: 1, dilation: dilation, groups: groups))),
            [4, 5, 5], [6, 8 + (2 * dilation) + 1 - 1, 8 + (2 * dilation) + 1 - 1],
            (onnx, x) => onnx.ConvTranspose(x, "up", stride: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1], dilation: [dilation, dilation], groups: groups));

    [Fact]
    public void MaxPool_with_padding_and_ceil_mode() =>
        Matches(nn.Sequential(("pool", nn.MaxPool2d(3, stride: 2, padding: 1, ceil_mode: true))), [2, 8, 8], [2, 5, 5],
            static (onnx, x) => onnx.MaxPool(x, "pool", kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], ceilMode: true));

    [Fact]
    public void MaxPool_in_ceil_mode_drops_a_last_window_that_would_start_in_the_padding() =>
        Matches(nn.Sequential(("pool", nn.MaxPool2d(3, stride: 3, padding: 1, ceil_mode: true))), [2, 5, 5], [2, 2, 2],
            static (onnx, x) => onnx.MaxPool(x, "pool", kernel: [3, 3], stride: [3, 3], pads: [1, 1, 1, 1], ceilMode: true));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AvgPool_in_ceil_mode_divides_as_PyTorch_does(bool countIncludePad) =>
        Matches(nn.Sequential(("pool", nn.AvgPool2d(3, stride: 2, padding: 1, ceil_mode: true, count_include_pad: countIncludePad))), [2, 6, 6], [2, 4, 4],
            (onnx, x) => onnx.AvgPool(x, "pool", kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], ceilMode: true, countIncludePad: countIncludePad));

    [Fact]
    public void MaxPool_with_dilation() =>
        Matches(nn.Sequential(("pool", nn.MaxPool2d(2, stride: 1, dilation: 2))), [2, 6, 6], [2, 4, 4],
            static (onnx, x) => onnx.MaxPool(x, "pool", kernel: [2, 2], stride: [1, 1], dilation: [2, 2]));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AvgPool_with_padding_counted_or_not(bool countIncludePad) =>
        Matches(nn.Sequential(("pool", nn.AvgPool2d(3, stride: 2, padding: 1, count_include_pad: countIncludePad))), [2, 8, 8], [2, 4, 4],
            (onnx, x) => onnx.AvgPool(x, "pool", kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], countIncludePad: countIncludePad));

    [Fact]
    public void Global_and_adaptive_pooling_where_the_output_divides_the_input()
    {
        Matches(nn.Sequential(("pool", nn.AdaptiveAvgPool2d([1, 1]))), [3, 5, 5], [3, 1, 1],
            static (onnx, x) => onnx.AdaptiveAvgPool(x, "pool", inputSize: [5, 5], outputSize: [1, 1]));
        Matches(nn.Sequential(("pool", nn.AdaptiveMaxPool2d([1, 1]))), [3, 5, 5], [3, 1, 1],
            static (onnx, x) => onnx.GlobalMaxPool(x, "pool"));
        Matches(nn.Sequential(("pool", nn.AdaptiveAvgPool2d([3, 2]))), [3, 6, 6], [3, 3, 2],
            static (onnx, x) => onnx.AdaptiveAvgPool(x, "pool", inputSize: [6, 6], outputSize: [3, 2]));
        Matches(nn.Sequential(("pool", nn.AdaptiveMaxPool2d([2, 3]))), [3, 6, 6], [3, 2, 3],
            static (onnx, x) => onnx.AdaptiveMaxPool(x, "pool", inputSize: [6, 6], outputSize: [2, 3]));
    }

    [Fact]
    public void Flatten_then_Linear_with_and_without_bias()
    {
        Matches(nn.Sequential(("flatten", nn.Flatten()), ("fc", nn.Linear(12, 5))), [3, 2, 2], [5],
            static (onnx, x) => onnx.Linear(onnx.Flatten(x, "flatten"), "fc"));
        Matches(nn.Sequential(("flatten", nn.Flatten()), ("fc", nn.Linear(12, 5, hasBias: false))), [3, 2, 2], [5],
            static (onnx, x) => onnx.Linear(onnx.Flatten(x, "flatten"), "fc"));
    }

    [Fact]
    public void BatchNorm_1d_and_2d_use_the_running_statistics()
    {
        Matches(nn.Sequential(("bn", nn.BatchNorm1d(6))), [6], [6], static (onnx, x) => onnx.BatchNorm(x, "bn"));
        Matches(nn.Sequential(("bn", nn.BatchNorm2d(3, eps: 1e-3))), [3, 5, 5], [3, 5, 5], static (onnx, x) => onnx.BatchNorm(x, "bn", eps: 1e-3));
    }

    [Fact]
    public void GroupNorm_decomposed_for_opset_17() =>
        Matches(nn.Sequential(("gn", nn.GroupNorm(2, 6))), [6, 4, 4], [6, 4, 4], static (onnx, x) => onnx.GroupNorm(x, "gn", groups: 2));

    [Fact]
    public void Dropout_Dropout2d_and_Identity_are_the_identity_at_inference() =>
        Matches(nn.Sequential(("dropout", nn.Dropout(0.5)), ("dropout2d", nn.Dropout2d(0.3)), ("identity", nn.Identity())), [2, 3, 3], [2, 3, 3],
            static (onnx, x) => onnx.Identity(onnx.Identity(onnx.Identity(x, "dropout"), "dropout2d"), "identity"));

    [Theory]
    [InlineData("relu")]
    [InlineData("leaky_relu")]
    [InlineData("prelu_shared")]
    [InlineData("prelu_per_channel")]
    [InlineData("elu")]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    [InlineData("silu")]
    [InlineData("gelu")]
    [InlineData("softmax")]
    [InlineData("log_softmax")]
    public void Activations(string kind)
    {
        (nn.Module<Tensor, Tensor> Layer, Func<OnnxGraphBuilder, OnnxValue, OnnxValue> Export) activation = kind switch
        {
            "relu" => (nn.ReLU(), static (onnx, x) => onnx.Relu(x, "act")),
            "leaky_relu" => (nn.LeakyReLU(0.2), static (onnx, x) => onnx.LeakyRelu(x, "act", 0.2)),
            "prelu_shared" => (nn.PReLU(1, 0.3), static (onnx, x) => onnx.PRelu(x, "act")),
            "prelu_per_channel" => (nn.PReLU(3), static (onnx, x) => onnx.PRelu(x, "act")),
            "elu" => (nn.ELU(0.7), static (onnx, x) => onnx.Elu(x, "act", 0.7)),
            "sigmoid" => (nn.Sigmoid(), static (onnx, x) => onnx.Sigmoid(x, "act")),
            "tanh" => (nn.Tanh(), static (onnx, x) => onnx.Tanh(x, "act")),
            "silu" => (nn.SiLU(), static (onnx, x) => onnx.SiLU(x, "act")),
            "gelu" => (nn.GELU(), static (onnx, x) => onnx.Gelu(x, "act")),
            "softmax" => (nn.Softmax(1), static (onnx, x) => onnx.Softmax(x, "act", 1)),
            "log_softmax" => (nn.LogSoftmax(-1), static (onnx, x) => onnx.LogSoftmax(x, "act", -1)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        Matches(nn.Sequential(("act", activation.Layer)), [3, 4, 4], [3, 4, 4], activation.Export);
    }

    [Theory]
    [InlineData("nearest", false)]
    [InlineData("bilinear", false)]
    [InlineData("bilinear", true)]
    public void Upsample_samples_as_PyTorch_does(string mode, bool alignCorners)
    {
        var torchMode = mode == "nearest" ? UpsampleMode.Nearest : UpsampleMode.Bilinear;
        Matches(nn.Sequential(("up", nn.Upsample(scale_factor: [2.0, 2.0], mode: torchMode, align_corners: mode == "nearest" ? null : alignCorners))), [2, 3, 5], [2, 6, 10],
            (onnx, x) => onnx.Upsample(x, "up", 2.0, mode, alignCorners));
    }

    [Fact]
    public void LocalResponseNorm_keeps_PyTorchs_alpha_over_size() =>
        Matches(nn.Sequential(("lrn", nn.LocalResponseNorm(5, alpha: 0.5, beta: 0.75, k: 2.0))), [7, 3, 3], [7, 3, 3],
            static (onnx, x) => onnx.LocalResponseNorm(x, "lrn", 5, alpha: 0.5, beta: 0.75, k: 2.0));

    [Fact]
    public void ZeroPad_in_PyTorchs_argument_order() =>
        Matches(nn.Sequential(("pad", nn.ZeroPad2d((1, 2, 0, 3)))), [2, 4, 4], [2, 7, 7],
            static (onnx, x) => onnx.ZeroPad(x, "pad", left: 1, right: 2, top: 0, bottom: 3));

    [Fact]
    public void Residual_sum_and_channel_concatenation()
    {
        Matches(new BranchJoin(concatenate: false), [3, 5, 5], [4, 5, 5],
            static (onnx, x) => onnx.Add(onnx.Conv(x, "left", pads: [1, 1, 1, 1]), onnx.Conv(x, "right"), "add"));
        Matches(new BranchJoin(concatenate: true), [3, 5, 5], [8, 5, 5],
            static (onnx, x) => onnx.Concat([onnx.Conv(x, "left", pads: [1, 1, 1, 1]), onnx.Conv(x, "right")], "cat"));
    }

    [Fact]
    public void Nested_scopes_read_the_weights_of_nested_submodules() =>
        Matches(nn.Sequential(("layer1", nn.Sequential(("0", nn.Sequential(("conv1", nn.Conv2d(2, 3, 1)), ("bn1", nn.BatchNorm2d(3))))))), [2, 4, 4], [3, 4, 4],
            static (onnx, x) =>
            {
                using (onnx.Scope("layer1"))
                using (onnx.Scope("0"))
                {
                    return onnx.BatchNorm(onnx.Conv(x, "conv1"), "bn1");
                }
            });

    private static void Matches(nn.Module<Tensor, Tensor> module, long[] inputShape, long[] outputShape, Func<OnnxGraphBuilder, OnnxValue, OnnxValue> export)
    {
        using (module)
        {
            OnnxRuntimeComparison.Randomize(module, seed: 11);
            var onnx = new OnnxGraphBuilder(module, "Operator", inputShape);
            OnnxValue output = export(onnx, onnx.Input);
            OnnxRuntimeComparison.AssertMatches(module, onnx.Build(output, outputShape), inputShape);
        }
    }
}
