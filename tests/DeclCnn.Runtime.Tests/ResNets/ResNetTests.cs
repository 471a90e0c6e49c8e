using System;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Inspection;
using DeclCnn.Samples;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.ResNets;

/// <summary>
/// The declared ResNets are weight-compatible with torchvision: same state-dict keys and shapes,
/// same parameter counts, and weights saved in TorchSharp's format load back by name.
/// </summary>
public class ResNetTests
{
    public static TheoryData<string> ImageNetResNets => new() { nameof(ResNet18), nameof(ResNet34), nameof(ResNet50) };

    [Theory]
    [MemberData(nameof(ImageNetResNets))]
    public void State_dict_has_exactly_torchvisions_keys_and_shapes(string name)
    {
        using var model = Create(name);

        // By key: TorchSharp lists a module's buffers after all parameters, PyTorch beside them;
        // loading goes by name, so only the set of keys and shapes matters.
        var actual = model.state_dict().Select(static entry => $"{entry.Key} [{string.Join(", ", entry.Value.shape)}]").Order(StringComparer.Ordinal);
        var expected = Expected(name).Select(static entry => $"{entry.Key} [{string.Join(", ", entry.Shape)}]").Order(StringComparer.Ordinal);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(nameof(ResNet18), 11_689_512)]
    [InlineData(nameof(ResNet34), 21_797_672)]
    [InlineData(nameof(ResNet50), 25_557_032)]
    public void Parameter_counts_equal_torchvisions(string name, long published)
    {
        using var model = Create(name);

        Assert.Equal(published, RuntimeSummary.CountParameters(model));
        Assert.Equal(published, Summary(name).TotalParameters);
    }

    [Fact]
    public void Weights_saved_in_TorchSharps_format_load_by_name_into_a_fresh_model()
    {
        var path = Path.Combine(Path.GetTempPath(), $"declcnn-resnet18-{Guid.NewGuid():N}.dat");
        try
        {
            manual_seed(1);
            using var source = new ResNet18();
            using (no_grad())
            {
                // Running statistics too: a checkpoint carries buffers, not only parameters.
                source.state_dict()["layer2.0.downsample.1.running_mean"].fill_(0.25f);
            }

            source.save(path);
            manual_seed(2);
            using var target = new ResNet18();
            target.load(path);

            var expected = source.state_dict();
            Assert.All(target.state_dict(), entry => Assert.True(expected[entry.Key].equal(entry.Value).all().item<bool>(), entry.Key));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_small_residual_network_learns_on_random_data()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new SimpleResNet();
        var images = randn(8, 3, 32, 32);
        var labels = randint(0, 10, new long[] { 8 });
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        model.train();

        float Step()
        {
            using var step = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(images), labels);
            loss.backward();
            optimizer.step();
            return loss.item<float>();
        }

        var first = Step();
        var last = first;
        for (var i = 0; i < 15; i++)
        {
            last = Step();
        }

        Assert.True(last < first / 4, $"loss went from {first} to {last}");
    }

    private static nn.Module<Tensor, Tensor> Create(string name) => name switch
    {
        nameof(ResNet18) => new ResNet18(),
        nameof(ResNet34) => new ResNet34(),
        nameof(ResNet50) => new ResNet50(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static ModelSummary Summary(string name) => name switch
    {
        nameof(ResNet18) => ResNet18.Summary,
        nameof(ResNet34) => ResNet34.Summary,
        _ => ResNet50.Summary,
    };

    private static (string Key, long[] Shape)[] Expected(string name) => name switch
    {
        nameof(ResNet18) => TorchvisionStateDicts.ResNet18,
        nameof(ResNet34) => TorchvisionStateDicts.ResNet34,
        _ => TorchvisionStateDicts.ResNet50,
    };
}
