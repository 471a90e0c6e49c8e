using System.IO;
using DeclCnn.Runtime.Interchange.Onnx;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Samples;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Interchange.Onnx;

/// <summary>
/// The sample networks, with trained-looking weights, exported through the builder and run in ONNX Runtime: the
/// outputs equal TorchSharp's (eval mode) at batch sizes 1 and 3.
/// </summary>
public class SampleNetworkExportTests(ITestOutputHelper output)
{
    [Fact]
    public void SimpleCnn_in_ONNX_Runtime_matches_TorchSharp() =>
        Check(new SimpleCnn(), SampleExports.SimpleCnn, [1, 28, 28]);

    [Fact]
    public void LeNet5_in_ONNX_Runtime_matches_TorchSharp() =>
        Check(new LeNet5(), SampleExports.LeNet5, [1, 28, 28]);

    [Fact]
    public void LeNet5Padded_in_ONNX_Runtime_matches_TorchSharp() =>
        Check(new LeNet5Padded(), SampleExports.LeNet5Padded, [1, 28, 28]);

    [Fact]
    public void Cifar10Net_in_ONNX_Runtime_matches_TorchSharp() =>
        Check(new Cifar10Net(), SampleExports.Cifar10Net, [3, 32, 32]);

    [Fact]
    public void A_residual_network_with_stages_and_a_downsampling_shortcut_matches_TorchSharp() =>
        Check(new TinyResNet(), TinyResNetExport, [3, 16, 16]);

    [Fact]
    public void The_exported_file_states_opset_17_a_dynamic_batch_and_the_trained_weights()
    {
        using var folder = new TempDirectory();
        string path = folder.File("simple_cnn.onnx");
        using var network = new SimpleCnn();
        OnnxRuntimeComparison.Randomize(network, seed: 3);
        var onnx = new OnnxGraphBuilder(network, nameof(SimpleCnn), 1, 28, 28);
        var x = onnx.Relu(onnx.Conv(onnx.Input, "conv1", pads: [1, 1, 1, 1]), "relu1");
        onnx.Export(x, [32, 28, 28], path);

        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal(OnnxGraphBuilder.Opset, Assert.Single(model.OpsetImport).Version);
        var input = Assert.Single(model.Graph.Input);
        Assert.Equal("input", input.Name);
        Assert.Equal("N", input.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal("output", Assert.Single(model.Graph.Output).Name);
        var weight = Assert.Single(model.Graph.Initializer, static t => t.Name == "conv1.weight");
        Assert.Equal(network.state_dict()["conv1.weight"].data<float>().ToArray(), weight.FloatData);
        Assert.Equal([path], Directory.GetFiles(folder.Path));

        using var session = new InferenceSession(path);
        Assert.Equal(-1, session.InputMetadata["input"].Dimensions[0]);
    }

    /// <summary>TinyResNet's graph as its declaration's export writes it: the stem, then each stage's blocks in their scopes.</summary>
    private static ModelProto TinyResNetExport(TinyResNet model)
    {
        var onnx = new OnnxGraphBuilder(model, nameof(TinyResNet), 3, 16, 16);
        var x1 = onnx.Conv(onnx.Input, "conv1", pads: [1, 1, 1, 1]);  // [N, 8, 16, 16]
        var x2 = onnx.BatchNorm(x1, "bn1");
        var x3 = onnx.Relu(x2, "relu");
        OnnxValue x4, x5;
        using (onnx.Scope("layer1"))
        using (onnx.Scope("0"))
        {
            x4 = TinyBasicBlockExport(onnx, x3, stride: 1, downsample: false);   // [N, 8, 16, 16]
        }

        using (onnx.Scope("layer2"))
        using (onnx.Scope("0"))
        {
            x5 = TinyBasicBlockExport(onnx, x4, stride: 2, downsample: true);    // [N, 16, 8, 8]
        }

        var x6 = onnx.AdaptiveAvgPool(x5, "avgpool", inputSize: [8, 8], outputSize: [1, 1]);
        var x7 = onnx.Flatten(x6, "flatten");
        var x8 = onnx.Linear(x7, "fc");                                  // [N, 10]
        return onnx.Build(x8, 10);
    }

    private static OnnxValue TinyBasicBlockExport(OnnxGraphBuilder onnx, OnnxValue input, long stride, bool downsample)
    {
        var x1 = onnx.Conv(input, "conv1", stride: [stride, stride], pads: [1, 1, 1, 1]);
        var x2 = onnx.BatchNorm(x1, "bn1");
        var x3 = onnx.Relu(x2, "relu1");
        var x4 = onnx.Conv(x3, "conv2", pads: [1, 1, 1, 1]);
        var x5 = onnx.BatchNorm(x4, "bn2");
        var shortcut = input;
        if (downsample)
        {
            using (onnx.Scope("downsample"))
            {
                shortcut = onnx.BatchNorm(onnx.Conv(input, "0", stride: [stride, stride]), "1");
            }
        }

        var x6 = onnx.Add(x5, shortcut, "add");
        return onnx.Relu(x6, "relu2");
    }

    private void Check<TModule>(TModule network, System.Func<TModule, ModelProto> export, long[] inputShape)
        where TModule : nn.Module<Tensor, Tensor>
    {
        using (network)
        {
            OnnxRuntimeComparison.Randomize(network, seed: 7);
            ModelProto model = export(network);
            double difference = OnnxRuntimeComparison.AssertMatches(network, model, inputShape);
            output.WriteLine($"{typeof(TModule).Name}: max |ONNX Runtime - TorchSharp| / max |TorchSharp| = {difference:G3} (batches 1 and 3)");
        }
    }
}
