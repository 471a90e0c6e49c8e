using System;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Interchange.Onnx;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Runtime.Tests.Interchange.Onnx.Networks;
using DeclCnn.Samples;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Interchange.Onnx;

/// <summary>
/// Every sample network, and networks of the kinds the samples do not use, with trained-looking weights, exported by
/// their declarations' <c>ExportOnnx</c> and run in ONNX Runtime: the outputs equal TorchSharp's (eval mode) at batch
/// sizes 1 and 3 (the dynamic batch dimension), the 224x224 networks at batch size 1 only, which keeps the whole check
/// within about two minutes on two cores.
/// </summary>
public class SampleNetworkExportTests(ITestOutputHelper output)
{
    private static readonly long[] Mnist = [1, 28, 28];
    private static readonly long[] Cifar = [3, 32, 32];
    private static readonly long[] ImageNet = [3, 224, 224];
    private static readonly long[] BothBatches = [1, 3];
    private static readonly long[] FirstBatchOnly = [1];

    [Fact]
    public void SimpleCnn_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new SimpleCnn();
        Check(network, Mnist, BothBatches);
    }

    [Fact]
    public void LeNet5_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new LeNet5();
        Check(network, Mnist, BothBatches);
    }

    [Fact]
    public void LeNet5Padded_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new LeNet5Padded();
        Check(network, Mnist, BothBatches);
    }

    [Fact]
    public void FashionMnistBnNet_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new FashionMnistBnNet();
        Check(network, Mnist, BothBatches);
    }

    [Fact]
    public void FullyConvolutionalCnn_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new FullyConvolutionalCnn();
        Check(network, Mnist, BothBatches);
    }

    [Fact]
    public void DeepConv7Cnn_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new DeepConv7Cnn();
        Check(network, Mnist, BothBatches);
    }

    [Fact]
    public void Cifar10Net_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new Cifar10Net();
        Check(network, Cifar, BothBatches);
    }

    [Fact]
    public void Vgg16Cifar_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new Vgg16Cifar();
        Check(network, Cifar, BothBatches);
    }

    [Fact]
    public void SimpleResNet_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new SimpleResNet();
        Check(network, Cifar, BothBatches);
    }

    [Fact]
    public void ResNet18Cifar_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new ResNet18Cifar();
        Check(network, Cifar, BothBatches);
    }

    [Fact]
    public void ResNet34Cifar_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new ResNet34Cifar();
        Check(network, Cifar, BothBatches);
    }

    [Fact]
    public void ResNet50Cifar_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new ResNet50Cifar();
        Check(network, Cifar, BothBatches);
    }

    [Fact]
    public void AlexNet_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new AlexNet();
        Check(network, ImageNet, FirstBatchOnly);
    }

    [Fact]
    public void Vgg16_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new Vgg16();
        Check(network, ImageNet, FirstBatchOnly);
    }

    [Fact]
    public void ResNet18_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new ResNet18();
        Check(network, ImageNet, FirstBatchOnly);
    }

    [Fact]
    public void ResNet34_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new ResNet34();
        Check(network, ImageNet, FirstBatchOnly);
    }

    [Fact]
    public void ResNet50_in_ONNX_Runtime_matches_TorchSharp()
    {
        using var network = new ResNet50();
        Check(network, ImageNet, FirstBatchOnly);
    }

    [Fact]
    public void A_residual_network_with_stages_and_a_downsampling_shortcut_matches_TorchSharp()
    {
        using var network = new TinyResNet();
        Check(network, [3, 16, 16], BothBatches);
    }

    [Fact]
    public void A_network_of_the_other_kinds_with_a_concatenation_block_and_upsampling_matches_TorchSharp()
    {
        using var network = new EveryKindNetwork();
        Check(network, [3, 16, 16], BothBatches);
    }

    [Fact]
    public void Group_norm_without_affine_parameters_in_a_residual_block_matches_TorchSharp()
    {
        using var network = new PyTorch.Networks.HalvingBlockNetwork();
        Check(network, [3, 12, 12], BothBatches);
    }

    [Fact]
    public void Adaptive_pooling_to_a_size_that_does_not_divide_the_input_is_refused_by_name_and_nothing_is_written()
    {
        using var folder = new TempDirectory();
        using var network = new UnevenAdaptivePoolNetwork();

        var refusal = Assert.Throws<OnnxExportException>(() => network.ExportOnnx(folder.File("uneven.onnx")));

        Assert.Contains("'avgpool'", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("7x7 to 3x3", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void The_exported_file_states_opset_17_a_dynamic_batch_and_the_trained_weights()
    {
        using var folder = new TempDirectory();
        string path = folder.File("simple_cnn.onnx");
        using var network = new SimpleCnn();
        OnnxRuntimeComparison.Randomize(network, seed: 3);
        network.ExportOnnx(path);

        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal(OnnxGraphBuilder.Opset, Assert.Single(model.OpsetImport).Version);
        var input = Assert.Single(model.Graph.Input);
        Assert.Equal("input", input.Name);
        Assert.Equal("N", input.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal([1, 28, 28], input.Type.TensorType.Shape.Dim.Skip(1).Select(static d => d.DimValue));
        Assert.Equal("output", Assert.Single(model.Graph.Output).Name);
        foreach (var (name, tensor) in network.state_dict())
        {
            var weight = Assert.Single(model.Graph.Initializer, t => t.Name == name);
            Assert.Equal(tensor.data<float>().ToArray(), weight.FloatData);
        }

        Assert.Equal([path], Directory.GetFiles(folder.Path));
        using var session = new InferenceSession(path);
        Assert.Equal(-1, session.InputMetadata["input"].Dimensions[0]);
    }

    private void Check<TNetwork>(TNetwork network, long[] inputShape, long[] batches)
        where TNetwork : nn.Module<Tensor, Tensor>, IOnnxExportable
    {
        OnnxRuntimeComparison.Randomize(network, seed: 7);
        using var folder = new TempDirectory();
        string path = folder.File("network.onnx");
        network.ExportOnnx(path);
        using var session = new InferenceSession(path);
        double difference = OnnxRuntimeComparison.AssertMatches(network, session, inputShape, batches);
        output.WriteLine($"{network.GetName()}: max |ONNX Runtime - TorchSharp| / max |TorchSharp| = {difference:G3} (batches {string.Join(", ", batches)})");
    }
}
