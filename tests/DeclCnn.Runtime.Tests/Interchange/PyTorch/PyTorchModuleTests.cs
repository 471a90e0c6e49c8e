using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using DeclCnn.Runtime.Interchange;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Runtime.Tests.Interchange.Onnx;
using DeclCnn.Runtime.Tests.Interchange.Onnx.Networks;
using DeclCnn.Runtime.Tests.Interchange.PyTorch.Networks;
using DeclCnn.Runtime.Tests.Shapes;
using DeclCnn.Samples;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Interchange.PyTorch;

/// <summary>
/// The declaration as a PyTorch module, run in real PyTorch (Debian's python3-torch): for every sample network and the
/// networks of the other kinds, the generated <c>PyTorchSource</c> builds a module with the .NET model's state-dict keys
/// and shapes, loads the .NET weights strictly from a <c>.pth</c> file, and gives the .NET model's output (eval mode)
/// within 1e-5 of the output's scale. The declared initialization gives the same statistics in both.
/// </summary>
public class PyTorchModuleTests(PyTorchFixture pyTorch, ITestOutputHelper output) : IClassFixture<PyTorchFixture>
{
    /// <summary>Float32 rounding in the kernels of two libtorch versions: the outputs agree to this fraction of the output's scale.</summary>
    private const double RelativeTolerance = 1e-5;

    public static TheoryData<string, Func<nn.Module<Tensor, Tensor>>, string, ModelSummary> Networks => new()
    {
        { nameof(SimpleCnn), () => new SimpleCnn(), SimpleCnn.PyTorchSource, SimpleCnn.Summary },
        { nameof(LeNet5), () => new LeNet5(), LeNet5.PyTorchSource, LeNet5.Summary },
        { nameof(LeNet5Padded), () => new LeNet5Padded(), LeNet5Padded.PyTorchSource, LeNet5Padded.Summary },
        { nameof(FashionMnistBnNet), () => new FashionMnistBnNet(), FashionMnistBnNet.PyTorchSource, FashionMnistBnNet.Summary },
        { nameof(FullyConvolutionalCnn), () => new FullyConvolutionalCnn(), FullyConvolutionalCnn.PyTorchSource, FullyConvolutionalCnn.Summary },
        { nameof(DeepConv7Cnn), () => new DeepConv7Cnn(), DeepConv7Cnn.PyTorchSource, DeepConv7Cnn.Summary },
        { nameof(Cifar10Net), () => new Cifar10Net(), Cifar10Net.PyTorchSource, Cifar10Net.Summary },
        { nameof(Vgg16Cifar), () => new Vgg16Cifar(), Vgg16Cifar.PyTorchSource, Vgg16Cifar.Summary },
        { nameof(SimpleResNet), () => new SimpleResNet(), SimpleResNet.PyTorchSource, SimpleResNet.Summary },
        { nameof(ResNet18Cifar), () => new ResNet18Cifar(), ResNet18Cifar.PyTorchSource, ResNet18Cifar.Summary },
        { nameof(ResNet34Cifar), () => new ResNet34Cifar(), ResNet34Cifar.PyTorchSource, ResNet34Cifar.Summary },
        { nameof(ResNet50Cifar), () => new ResNet50Cifar(), ResNet50Cifar.PyTorchSource, ResNet50Cifar.Summary },
        { nameof(AlexNet), () => new AlexNet(), AlexNet.PyTorchSource, AlexNet.Summary },
        { nameof(Vgg16), () => new Vgg16(), Vgg16.PyTorchSource, Vgg16.Summary },
        { nameof(ResNet18), () => new ResNet18(), ResNet18.PyTorchSource, ResNet18.Summary },
        { nameof(ResNet34), () => new ResNet34(), ResNet34.PyTorchSource, ResNet34.Summary },
        { nameof(ResNet50), () => new ResNet50(), ResNet50.PyTorchSource, ResNet50.Summary },
        { nameof(TinyResNet), () => new TinyResNet(), TinyResNet.PyTorchSource, TinyResNet.Summary },
        { nameof(EveryKindNetwork), () => new EveryKindNetwork(), EveryKindNetwork.PyTorchSource, EveryKindNetwork.Summary },
        { nameof(UnevenAdaptivePoolNetwork), () => new UnevenAdaptivePoolNetwork(), UnevenAdaptivePoolNetwork.PyTorchSource, UnevenAdaptivePoolNetwork.Summary },
        { nameof(CeilModeModel), () => new CeilModeModel(), CeilModeModel.PyTorchSource, CeilModeModel.Summary },
        { nameof(SamePaddingModel), () => new SamePaddingModel(), SamePaddingModel.PyTorchSource, SamePaddingModel.Summary },
        { nameof(RectangularModel), () => new RectangularModel(), RectangularModel.PyTorchSource, RectangularModel.Summary },
        { nameof(GroupsModel), () => new GroupsModel(), GroupsModel.PyTorchSource, GroupsModel.Summary },
        { nameof(PoolingAndActivationsModel), () => new PoolingAndActivationsModel(), PoolingAndActivationsModel.PyTorchSource, PoolingAndActivationsModel.Summary },
        { nameof(UpsampleModel), () => new UpsampleModel(), UpsampleModel.PyTorchSource, UpsampleModel.Summary },
        { nameof(DenseBlockModel), () => new DenseBlockModel(), DenseBlockModel.PyTorchSource, DenseBlockModel.Summary },
        { nameof(SkipFromInputModel), () => new SkipFromInputModel(), SkipFromInputModel.PyTorchSource, SkipFromInputModel.Summary },
        { nameof(NestedBlockModel), () => new NestedBlockModel(), NestedBlockModel.PyTorchSource, NestedBlockModel.Summary },
        { nameof(HalvingBlockNetwork), () => new HalvingBlockNetwork(), HalvingBlockNetwork.PyTorchSource, HalvingBlockNetwork.Summary },
        { nameof(PythonNamedLayersNetwork), () => new PythonNamedLayersNetwork(), PythonNamedLayersNetwork.PyTorchSource, PythonNamedLayersNetwork.Summary },
    };

    public static TheoryData<string, Func<nn.Module<Tensor, Tensor>>, string> DeclaredInitializations => new()
    {
        { nameof(InitializedModel), () => new InitializedModel(), InitializedModel.PyTorchSource },
        { nameof(NormalAndConstantModel), () => new NormalAndConstantModel(), NormalAndConstantModel.PyTorchSource },
        { nameof(ZeroInitResidualModel), () => new ZeroInitResidualModel(), ZeroInitResidualModel.PyTorchSource },
        { nameof(HalvingBlockNetwork), () => new HalvingBlockNetwork(), HalvingBlockNetwork.PyTorchSource },
        { nameof(ResNet18Cifar), () => new ResNet18Cifar(), ResNet18Cifar.PyTorchSource },
        { nameof(EveryKindNetwork), () => new EveryKindNetwork(), EveryKindNetwork.PyTorchSource },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void The_PyTorch_module_has_the_state_dict_of_the_NET_model_and_with_its_weights_gives_its_output(
        string name, Func<nn.Module<Tensor, Tensor>> create, string source, ModelSummary summary)
    {
        PyTorchSession session = pyTorch.Session;
        using var scope = NewDisposeScope();
        using var network = create();
        OnnxRuntimeComparison.Randomize(network, seed: 7);
        network.eval();
        long batch = summary.InputShape[^1] >= 224 ? 1 : 2;
        manual_seed(1234);
        Tensor input = randn([batch, .. summary.InputShape]);
        Tensor expected;
        using (no_grad())
        {
            expected = network.call(input).contiguous();
        }

        using var folder = new TempDirectory();
        File.WriteAllText(folder.File($"{name}.py"), source);
        network.SaveWeights(folder.File("weights.pth"), WeightFormat.PyTorch);
        File.WriteAllBytes(folder.File("input.bin"), MemoryMarshal.AsBytes(input.data<float>().ToArray().AsSpan()).ToArray());
        JsonObject answer = session.Send(new
        {
            source = folder.File($"{name}.py"),
            @class = name,
            weights = folder.File("weights.pth"),
            input = folder.File("input.bin"),
            shape = input.shape,
            output = folder.File("output.bin"),
        });

        var pyTorchState = answer["state"]!.AsObject().Select(static entry => $"{entry.Key} [{string.Join(", ", entry.Value!.AsArray().Select(static d => d!.GetValue<long>()))}]");
        var netState = network.state_dict().Select(static entry => $"{entry.Key} [{string.Join(", ", entry.Value.shape)}]");
        Assert.Equal(netState.Order(StringComparer.Ordinal), pyTorchState.Order(StringComparer.Ordinal));
        Assert.Equal(expected.shape, answer["outputShape"]!.AsArray().Select(static d => d!.GetValue<long>()));
        float[] actual = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(folder.File("output.bin"))).ToArray();
        float[] reference = expected.data<float>().ToArray();
        double difference = actual.Zip(reference, static (a, b) => (double)Math.Abs(a - b)).Max() / reference.Max(static v => (double)Math.Abs(v));
        output.WriteLine($"{name}: max |PyTorch {session.TorchVersion} - TorchSharp| / max |TorchSharp| = {difference:G3} (batch {batch})");
        Assert.True(difference <= RelativeTolerance, $"PyTorch differs from TorchSharp by {difference:G3} of the output's scale; {Float64Check(network, input, expected)}");
    }

    [Theory]
    [MemberData(nameof(DeclaredInitializations))]
    public void The_PyTorch_module_initializes_its_weights_as_the_declaration_says(string name, Func<nn.Module<Tensor, Tensor>> create, string source)
    {
        PyTorchSession session = pyTorch.Session;
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File($"{name}.py"), source);
        JsonObject pyTorchStatistics = session.Send(new { source = folder.File($"{name}.py"), @class = name, seed = 5 })["statistics"]!.AsObject();

        manual_seed(5);
        using var network = create();
        Dictionary<string, Tensor> state = network.state_dict();
        Assert.Equal(state.Keys.Order(StringComparer.Ordinal), pyTorchStatistics.Select(static entry => entry.Key).Order(StringComparer.Ordinal));
        foreach (var (key, tensor) in state)
        {
            using var values = tensor.to_type(ScalarType.Float64);
            double[] python = pyTorchStatistics[key]!.AsArray().Select(static v => v!.GetValue<double>()).ToArray();
            double mean = values.mean().item<double>(), min = values.min().item<double>(), max = values.max().item<double>();
            double std = values.numel() > 1 ? values.std().item<double>() : 0;
            if (min == max)
            {
                // A constant (zeros, ones, a declared value, PReLU's slope): the same constant.
                Assert.True(python[2] == min && python[3] == max, $"{key}: TorchSharp is all {min}, PyTorch ranges over [{python[2]}, {python[3]}]");
            }
            else if (values.numel() >= 1000)
            {
                // A random draw from the declared distribution: the same spread and centre.
                Assert.True(Math.Abs(python[1] - std) <= 0.1 * std, $"{key}: std {python[1]:G4} in PyTorch, {std:G4} in TorchSharp");
                Assert.True(Math.Abs(python[0] - mean) <= 0.1 * std, $"{key}: mean {python[0]:G4} in PyTorch, {mean:G4} in TorchSharp (std {std:G4})");
            }
        }

        output.WriteLine($"{name}: {state.Count} tensors with the same initialization");
    }

    /// <summary>Which side is off: TorchSharp's float32 output against its own float64 computation.</summary>
    private static string Float64Check(nn.Module<Tensor, Tensor> network, Tensor input, Tensor expected)
    {
        using var noGrad = no_grad();
        network.to(ScalarType.Float64);
        using var exact = network.call(input.to(ScalarType.Float64));
        double error = (expected.to(ScalarType.Float64) - exact).abs().max().item<double>() / exact.abs().max().item<double>();
        return $"TorchSharp's float32 output differs from its float64 output by {error:G3} of the output's scale";
    }

    [Fact]
    public void Without_PyTorch_the_tests_fail_and_say_what_to_install()
    {
        // -S leaves out the site packages, where Debian installs torch: the interpreter runs, the import fails.
        var missingTorch = Assert.Throws<InvalidOperationException>(() => PyTorchSession.Start(PyTorchSession.DebianPython, "-S"));
        var missingPython = Assert.Throws<InvalidOperationException>(() => PyTorchSession.Start("/nonexistent/python3"));

        Assert.Equal($"The PyTorch tests need PyTorch for /usr/bin/python3, which cannot import torch: {PyTorchSession.InstallAdvice}.", missingTorch.Message);
        Assert.Contains("sudo apt-get install python3-torch", missingPython.Message, StringComparison.Ordinal);
    }
}
