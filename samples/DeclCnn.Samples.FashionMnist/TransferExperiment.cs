using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Inference;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Transfer;
using DeclCnn.Samples;

namespace DeclCnn.Samples.Experiments;

/// <summary>
/// The transfer-learning experiment of docs/transfer-learning.md: pretrain <see cref="SimpleCnn"/> on
/// Fashion-MNIST classes 0-4, then train <see cref="FashionMnistTransfer"/> on classes 5-9 twice with the same budget
/// (images, epochs, optimizer, seed): once on the pretrained backbone, frozen, and once from scratch. A last step
/// unfreezes the transferred network and fine-tunes it for one more epoch at a tenth of the learning rate.
/// </summary>
internal static class TransferExperiment
{
    private static readonly int[] SourceClasses = [0, 1, 2, 3, 4];
    private static readonly int[] TargetClasses = [5, 6, 7, 8, 9];

    /// <summary>The budget: training images per phase, epochs, and the seed of the subsets, the order and the initialization.</summary>
    public sealed record Budget(int PretrainImages = 6000, int Images = 1000, int Epochs = 2, int TestImages = 2000, ulong Seed = 1, string Output = "runs/transfer");

    /// <summary>The command line: each option of <see cref="Budget"/>, with its default.</summary>
    public static RootCommand Command()
    {
        var defaults = new Budget();
        var pretrainImages = new Option<int>("--pretrain-images") { Description = "Images of classes 0-4 the source network is pretrained on.", DefaultValueFactory = _ => defaults.PretrainImages };
        var images = new Option<int>("--images") { Description = "Images of classes 5-9 each of the compared networks trains on.", DefaultValueFactory = _ => defaults.Images };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of each training run.", DefaultValueFactory = _ => defaults.Epochs };
        var testImages = new Option<int>("--test-images") { Description = "Test images each accuracy is measured on.", DefaultValueFactory = _ => defaults.TestImages };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the subsets, the batch order and the initialization.", DefaultValueFactory = _ => defaults.Seed };
        var command = new RootCommand("Pretrains SimpleCnn on Fashion-MNIST classes 0-4, then trains FashionMnistTransfer on classes 5-9 with the frozen backbone and from scratch (docs/transfer-learning.md).")
        {
            pretrainImages, images, epochs, testImages, seed,
        };
        command.SetAction(parsed => Run(new Budget(parsed.GetValue(pretrainImages), parsed.GetValue(images), parsed.GetValue(epochs), parsed.GetValue(testImages), parsed.GetValue(seed))));
        return command;
    }

    public static int Run(Budget budget)
    {
        using TrainTestSplit data = FashionMnist.Load(progress: Console.WriteLine);
        using ImageDataset sourceClasses = data.Train.SelectClasses(SourceClasses);
        using ImageDataset pretrainSet = sourceClasses.RandomSubset(budget.PretrainImages, budget.Seed);
        using ImageDataset sourceTestClasses = data.Test.SelectClasses(SourceClasses);
        using ImageDataset sourceTest = sourceTestClasses.RandomSubset(budget.TestImages, budget.Seed);
        using ImageDataset targetClasses = data.Train.SelectClasses(TargetClasses);
        using ImageDataset targetSet = targetClasses.RandomSubset(budget.Images, budget.Seed);
        using ImageDataset targetTestClasses = data.Test.SelectClasses(TargetClasses);
        using ImageDataset targetTest = targetTestClasses.RandomSubset(budget.TestImages, budget.Seed);
        var options = new FitOptions { Epochs = budget.Epochs, Seed = budget.Seed, Optimizer = new AdamSettings { LearningRate = 1e-3 } };
        Console.WriteLine($"Budget: pretraining {budget.PretrainImages} images of classes 0-4, then {budget.Images} images of classes 5-9, "
            + $"{budget.Epochs} epoch(s) each, Adam 1e-3, batch 64, seed {budget.Seed}; accuracy on {budget.TestImages} test images of those classes.");

        // 1. The source network, on classes 0-4 (its ten outputs, five of them unused), saved as a model file.
        Directory.CreateDirectory(budget.Output);
        string sourceFile = Path.Combine(budget.Output, "source.safetensors");
        using (var source = new SimpleCnn())
        {
            var (pretrainTime, _) = Train(source, pretrainSet, options);
            ModelFile.Save(source, sourceFile, ModelInfo.For(pretrainSet.Info));
            Report("pretrained source (classes 0-4)", source, sourceTest, pretrainTime);
        }

        // 2. Transfer: the pretrained backbone, frozen; only the head trains.
        using var transferred = new FashionMnistTransfer();
        transferred.LoadBackbone(sourceFile);
        transferred.FreezeBackbone();
        Console.WriteLine($"Frozen backbone: {transferred.TrainableParameterCount():N0} of {FashionMnistTransfer.Summary.TotalParameters:N0} parameters train.");
        var (transferTime, _) = Train(transferred, targetSet, options);
        double transferAccuracy = Report("transfer, frozen backbone (classes 5-9)", transferred, targetTest, transferTime);

        // 3. The same network and budget from scratch.
        using var scratch = new FashionMnistTransfer();
        var (scratchTime, _) = Train(scratch, targetSet, options);
        double scratchAccuracy = Report("from scratch (classes 5-9)", scratch, targetTest, scratchTime);

        // 4. Fine-tuning: unfreeze everything and train one more epoch at a tenth of the rate (a budget beyond the comparison).
        transferred.Unfreeze();
        var fineTuning = options with { Epochs = 1, Optimizer = new AdamSettings { LearningRate = 1e-4 } };
        var (fineTuneTime, _) = Train(transferred, targetSet, fineTuning);
        Report("transfer + 1 epoch fine-tuning at 1e-4", transferred, targetTest, fineTuneTime);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Transfer {transferAccuracy:P2} in {transferTime.TotalSeconds:0.0} s against scratch {scratchAccuracy:P2} in {scratchTime.TotalSeconds:0.0} s."));
        return 0;
    }

    private static (TimeSpan Time, FitResult Result) Train(TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> model, ImageDataset images, FitOptions options)
    {
        var loader = new BatchLoader(images, new LoaderOptions { BatchSize = 64, Seed = options.Seed });
        var clock = Stopwatch.StartNew();
        FitResult result = Trainer.Fit(model, loader, validation: null, options, log: line => Console.WriteLine("  " + line));
        return (clock.Elapsed, result);
    }

    private static double Report(string what, TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> model, ImageDataset test, TimeSpan trainingTime)
    {
        ClassificationMetrics metrics = Trainer.Evaluate(model, BatchLoader.ForEvaluation(test));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: test accuracy {metrics.Top1:P2}, training {trainingTime.TotalSeconds:0.0} s; per class {string.Join(", ", test.Info.ClassNames.Zip(metrics.PerClassAccuracy, static (name, accuracy) => $"{name} {accuracy:P0}"))}"));
        return metrics.Top1;
    }
}
