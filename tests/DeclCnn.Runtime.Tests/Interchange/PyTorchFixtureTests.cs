using System;
using System.Linq;
using DeclCnn.Runtime.Interchange;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Samples;
using TorchSharp.Modules;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Interchange;

/// <summary>
/// Weights written by real PyTorch load into the declared networks and reproduce PyTorch's outputs; weights the
/// networks save load back bit for bit.
/// </summary>
public class PyTorchFixtureTests(ITestOutputHelper output)
{
    // PyTorch and TorchSharp run the same libtorch kernels in different versions and thread layouts; the outputs
    // differ only by float32 rounding.
    private const double RelativeTolerance = 1e-5;

    public static TheoryData<string, WeightFormat> PyTorchFiles => new()
    {
        { "simple_cnn.pth", WeightFormat.PyTorch },
        { "tiny_resnet.pth", WeightFormat.PyTorch },
        { "tiny_resnet.safetensors", WeightFormat.Safetensors },
    };

    [Theory]
    [MemberData(nameof(PyTorchFiles))]
    public void Weights_from_PyTorch_reproduce_PyTorchs_outputs(string file, WeightFormat format)
    {
        string model = file[..file.IndexOf('.', StringComparison.Ordinal)];
        using var network = Create(model);
        var (input, expected) = Fixtures.InputAndOutput(model);

        WeightLoadResult result = network.LoadWeights(Fixtures.PathOf(file), format);
        network.eval();
        using var actual = network.call(input);

        Assert.Equal(network.state_dict().Keys.Order(StringComparer.Ordinal), result.Loaded.Order(StringComparer.Ordinal));
        Assert.Empty(result.Missing);
        Assert.Empty(result.Unexpected);
        double difference = (actual - expected).abs().max().item<float>();
        double scale = expected.abs().max().item<float>();
        output.WriteLine($"{file}: max |TorchSharp - PyTorch| = {difference:G3} at output scale {scale:G3} (relative {difference / scale:G3})");
        Assert.True(difference <= RelativeTolerance * scale, $"max difference {difference} at scale {scale}");
    }

    public static TheoryData<string, WeightFormat> SavedFormats => new()
    {
        { nameof(SimpleCnn), WeightFormat.PyTorch },
        { nameof(SimpleCnn), WeightFormat.Safetensors },
        { nameof(TinyResNet), WeightFormat.PyTorch },
        { nameof(TinyResNet), WeightFormat.Safetensors },
        { nameof(TinyResNet), WeightFormat.TorchSharp },
    };

    [Theory]
    [MemberData(nameof(SavedFormats))]
    public void Saved_weights_load_back_identically_into_a_fresh_network(string model, WeightFormat format)
    {
        using var folder = new TempDirectory();
        string path = folder.File($"weights.{format}");
        manual_seed(7);
        using var source = Create(model);
        TrainBatchNormStatistics(source);
        manual_seed(8);
        using var target = Create(model);

        source.SaveWeights(path, format);
        target.LoadWeights(path, format);

        Fixtures.AssertSameState(Fixtures.Snapshot(source), target);
        Assert.Equal([path], System.IO.Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void A_state_dict_pickled_with_protocol_4_loads()
    {
        using var linear = nn.Linear(2, 1);

        linear.LoadWeights(Fixtures.PathOf("linear_protocol4.pth"), WeightFormat.PyTorch);

        // The values make_fixtures.py drew, read back from the fixture with the safetensors-independent path.
        var reference = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(Fixtures.PathOf("linear_protocol4.pth"));
        Assert.True(Fixtures.Identical((Tensor)reference["weight"]!, linear.weight!));
        Assert.True(Fixtures.Identical((Tensor)reference["bias"]!, linear.bias!));
    }

    internal static nn.Module<Tensor, Tensor> Create(string model) => model switch
    {
        nameof(SimpleCnn) or "simple_cnn" => new SimpleCnn(),
        nameof(TinyResNet) or "tiny_resnet" => new TinyResNet(),
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, null),
    };

    // Moves running means, variances and batch counts away from their initial values, so a round trip that
    // dropped buffers would show.
    private static void TrainBatchNormStatistics(nn.Module<Tensor, Tensor> network)
    {
        if (!network.modules().OfType<BatchNorm2d>().Any())
        {
            return;
        }

        network.train();
        using (no_grad())
        {
            using var batch = randn(8, 3, 16, 16);
            network.call(batch).Dispose();
        }
    }
}
