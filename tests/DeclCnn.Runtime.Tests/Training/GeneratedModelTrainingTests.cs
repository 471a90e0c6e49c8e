using DeclCnn.Samples;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Training;

/// <summary>Generated modules are real TorchSharp modules: gradients flow through every layer and they learn.</summary>
public class GeneratedModelTrainingTests
{
    [Fact]
    public void SimpleCnn_loss_falls_when_it_trains_on_a_fixed_batch()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var model = new SimpleCnn();
        var images = randn(16, 1, 28, 28);
        var labels = randint(0, 10, new long[] { 16 });
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        model.train();

        var first = Step(model, optimizer, images, labels);
        var last = first;
        for (var step = 0; step < 30; step++)
        {
            last = Step(model, optimizer, images, labels);
        }

        Assert.True(last < first / 4, $"loss went from {first} to {last}");
    }

    [Fact]
    public void Cifar10Net_with_batch_norm_updates_its_running_statistics_in_training_only()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var model = new Cifar10Net();
        var images = randn(4, 3, 32, 32) + 3;

        model.train();
        using (var output = model.forward(images))
        {
            Assert.Equal(new long[] { 4, 10 }, output.shape);
        }

        var afterTraining = model.state_dict()["bn1.running_mean"].clone();
        model.eval();
        using (no_grad())
        {
            model.forward(images).Dispose();
        }

        Assert.True(afterTraining.abs().sum().item<float>() > 0, "training mode should move the running mean");
        Assert.True(afterTraining.eq(model.state_dict()["bn1.running_mean"]).all().item<bool>(), "evaluation mode must not change it");
    }

    private static float Step(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Tensor images, Tensor labels)
    {
        using var stepScope = NewDisposeScope();
        optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(model.forward(images), labels);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }
}
