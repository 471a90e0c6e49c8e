using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Inference;
using DeclCnn.Runtime.Interchange;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Runtime.Tests.Training;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Transfer;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Transfer;

/// <summary>
/// Transfer learning through the real trainer: a backbone loaded from its source's model file, frozen (weights and
/// batch-norm running statistics bit-identical after training, only the head in the optimizer), then unfrozen.
/// </summary>
public sealed class FreezingTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("declcnn-transfer-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Backbone_layers_are_the_sources_and_the_head_is_named_apart()
    {
        Assert.Equal(["conv1", "bn1", "relu1", "conv2", "bn2", "relu2", "flatten"], BarTransfer.BackboneLayers);
        Assert.Equal(
            ["conv1", "bn1", "relu1", "conv2", "bn2", "relu2", "flatten", "head_fc1", "head_relu", "head_fc2"],
            BarTransfer.Summary.Layers.Select(static l => l.Name));
    }

    [Fact]
    public void A_frozen_backbone_keeps_its_weights_and_running_statistics_while_the_head_learns()
    {
        using var data = TrainingFixtures.Bars(256, seed: 5);
        string sourceFile = TrainedSource(data);
        using var model = new BarTransfer();
        model.LoadBackbone(sourceFile);
        model.FreezeBackbone();
        var before = TrainingFixtures.Weights(model);
        var countsBefore = BatchesTracked(model);

        using var trainer = new Trainer(model, TrainingFixtures.Batches(data, 32), TrainingFixtures.Batches(data, 64, shuffle: false), TrainingFixtures.Options(epochs: 3));
        long optimized = trainer.Optimizer.parameters().Sum(static p => p.numel());
        FitResult result = trainer.Fit();

        var after = TrainingFixtures.Weights(model);
        long headParameters = BarTransfer.Summary.Layers.Where(static l => l.Name.StartsWith("head_", StringComparison.Ordinal)).Sum(static l => l.Parameters);
        Assert.Equal(headParameters, optimized);
        Assert.Equal(headParameters, model.TrainableParameterCount());
        foreach (string key in before.Keys.Where(IsBackbone))
        {
            Assert.True(before[key].SequenceEqual(after[key]), $"{key} changed although the backbone is frozen.");
        }

        Assert.Equal(countsBefore, BatchesTracked(model));
        Assert.All(before.Keys.Where(static k => k.StartsWith("head_", StringComparison.Ordinal) && k.EndsWith(".weight", StringComparison.Ordinal)),
            key => Assert.False(before[key].SequenceEqual(after[key]), $"{key} did not learn."));
        Assert.True(result.Last.Validation!.Top1 > 0.9, $"The head reached only {result.Last.Validation!.Top1:P1} on the bars.");
    }

    [Fact]
    public void Unfreezing_for_a_second_fit_trains_the_backbone_and_its_statistics_at_the_lower_rate()
    {
        using var data = TrainingFixtures.Bars(128, seed: 6);
        using var model = new BarTransfer();
        model.LoadBackbone(TrainedSource(data));
        model.FreezeBackbone();
        Trainer.Fit(model, TrainingFixtures.Batches(data, 32), validation: null, TrainingFixtures.Options());
        var frozen = TrainingFixtures.Weights(model);
        var counts = BatchesTracked(model);

        model.Unfreeze();
        var fineTuning = TrainingFixtures.Options() with { Optimizer = new AdamSettings { LearningRate = 1e-3 } };
        using var trainer = new Trainer(model, TrainingFixtures.Batches(data, 32), validation: null, fineTuning);
        Assert.Equal(BarTransfer.Summary.TotalParameters, trainer.Optimizer.parameters().Sum(static p => p.numel()));
        Assert.Equal(1e-3, trainer.LearningRate, 9);
        trainer.Fit();

        var tuned = TrainingFixtures.Weights(model);
        Assert.False(frozen["conv1.weight"].SequenceEqual(tuned["conv1.weight"]), "conv1 did not train after unfreezing.");
        Assert.False(frozen["bn2.running_mean"].SequenceEqual(tuned["bn2.running_mean"]), "bn2's running mean did not move after unfreezing.");
        Assert.True(BatchesTracked(model)["bn1.num_batches_tracked"] > counts["bn1.num_batches_tracked"]);
    }

    [Fact]
    public void Layers_freeze_by_name_or_prefix_and_an_unknown_name_is_an_error_naming_it()
    {
        Synthetic.EnsureTorch();
        using var model = new BarSource();

        model.Freeze("conv*", "bn1");

        var frozen = model.named_parameters().Where(static p => !p.parameter.requires_grad).Select(static p => p.name).Order().ToArray();
        Assert.Equal(["bn1.bias", "bn1.weight", "conv1.weight", "conv2.bias", "conv2.weight"], frozen);
        model.train();
        using (no_grad())
        {
            using var output = model.call(zeros(2, 1, 8, 8));
        }

        Assert.False(model.named_modules().Single(static m => m.name == "bn1").module.training);
        Assert.True(model.named_modules().Single(static m => m.name == "bn2").module.training);

        var error = Assert.Throws<ArgumentException>(() => model.Freeze("conv3"));
        Assert.Contains("'conv3' matches no layer of BarSource", error.Message, StringComparison.Ordinal);
        Assert.Contains("conv1, bn1, relu1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_with_every_parameter_frozen_evaluates_but_does_not_fit()
    {
        using var data = TrainingFixtures.Bars(64, seed: 7);
        using var model = new BarSource();
        model.Freeze("*");

        Assert.Equal(0, model.TrainableParameterCount());
        Trainer.Evaluate(model, TrainingFixtures.Batches(data, 32, shuffle: false));
        var error = Assert.Throws<InvalidOperationException>(() => Trainer.Fit(model, TrainingFixtures.Batches(data, 32), validation: null, TrainingFixtures.Options()));
        Assert.Contains("frozen", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_backbone_loads_only_from_its_sources_model_file_and_a_mismatch_changes_nothing()
    {
        using var data = TrainingFixtures.Bars(64, seed: 8);
        string sourceFile = TrainedSource(data);
        using var model = new BarTransfer();
        model.LoadBackbone(sourceFile);
        using var source = new BarSource();
        ModelFile.Load(source, sourceFile);
        var loaded = TrainingFixtures.Weights(model);
        var original = TrainingFixtures.Weights(source);
        Assert.All(loaded.Keys.Where(IsBackbone), key => Assert.Equal(original[key], loaded[key]));

        string transferFile = Path.Combine(folder, "transfer.safetensors");
        ModelFile.Save(model, transferFile, Info(data));
        using var other = new BarTransfer();
        var before = TrainingFixtures.Weights(other);
        var error = Assert.Throws<WeightFileException>(() => other.LoadBackbone(transferFile));
        Assert.Contains($"holds a {typeof(BarTransfer).FullName}, but the backbone of {typeof(BarTransfer).FullName} is a {typeof(BarSource).FullName}", error.Message, StringComparison.Ordinal);
        Assert.All(before.Keys, key => Assert.Equal(before[key], TrainingFixtures.Weights(other)[key]));
    }

    private static bool IsBackbone(string key) => BarTransfer.BackboneLayers.Contains(key.Split('.')[0]);

    private static Dictionary<string, long> BatchesTracked(nn.Module model) =>
        model.state_dict().Where(static e => e.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToDictionary(static e => e.Key, static e => e.Value.item<long>());

    private static ModelInfo Info(ImageDataset data) => ModelInfo.For(data.Info);

    /// <summary>Trains the source on the bars for an epoch, so that its weights and running statistics are not the initial ones, and saves its model file.</summary>
    private string TrainedSource(ImageDataset data)
    {
        using var source = new BarSource();
        Trainer.Fit(source, TrainingFixtures.Batches(data, 32), validation: null, TrainingFixtures.Options());
        string path = Path.Combine(folder, "source.safetensors");
        ModelFile.Save(source, path, Info(data));
        return path;
    }
}
