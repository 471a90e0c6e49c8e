using System;
using System.Collections.Generic;
using System.IO;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Training;
using static TorchSharp.torch;

namespace DeclCnn.App;

/// <summary>What a preset can set about how a network is trained: the data and the loop's settings.</summary>
public interface IRecipePreset
{
    /// <summary>The data set (<see cref="DataSets.Names"/>).</summary>
    string DataSet { get; }

    /// <summary>Epochs to train.</summary>
    int Epochs { get; }

    /// <summary>Training batch size.</summary>
    int BatchSize { get; }

    /// <summary>The optimizer and its settings.</summary>
    OptimizerSettings Optimizer { get; }

    /// <summary>The learning-rate schedule.</summary>
    LearningRateSchedule Schedule { get; }

    /// <summary>Label smoothing of the cross-entropy loss.</summary>
    double LabelSmoothing { get; }

    /// <summary>Whether training batches are augmented (<see cref="Augmentations"/>).</summary>
    bool Augment { get; }
}

/// <summary>A training recipe with every setting resolved, as <c>train</c> and <c>compare</c> run it.</summary>
internal sealed record Recipe(
    string DataSet,
    string? DataRoot,
    int Epochs,
    int BatchSize,
    OptimizerSettings Optimizer,
    LearningRateSchedule Schedule,
    double LabelSmoothing,
    bool Augment)
{
    /// <summary>One line: the data set is named by the caller, who knows its size.</summary>
    public string Describe() =>
        FormattableString.Invariant($"{Epochs} epoch(s), batch size {BatchSize}, {Optimizer}, {Schedule}, label smoothing {LabelSmoothing}, {(Augment ? "augmented" : "no augmentation")}");

    /// <summary>A trainer for <paramref name="model"/> on <paramref name="data"/>, tested on its test set after each epoch, writing into <paramref name="outputDirectory"/>.</summary>
    public Trainer CreateTrainer(nn.Module<Tensor, Tensor> model, TrainTestSplit data, ulong seed, string outputDirectory, IEnumerable<TrainerCallback> callbacks)
    {
        var train = new BatchLoader(data.Train, new LoaderOptions
        {
            BatchSize = BatchSize,
            Seed = seed,
            Transform = Augment ? Augmentations.Standard(data.Train.Info) : null,
        });
        var options = new FitOptions
        {
            Epochs = Epochs,
            Seed = seed,
            Optimizer = Optimizer,
            Schedule = Schedule,
            LabelSmoothing = LabelSmoothing,
            OutputDirectory = outputDirectory,
            CheckpointMonitor = "val_top1",
        };
        return new Trainer(model, train, BatchLoader.ForEvaluation(data.Test), options, callbacks);
    }

    /// <summary>The trainer's last checkpoint in <paramref name="outputDirectory"/>, which <c>--resume</c> continues from.</summary>
    public static string LastCheckpoint(string outputDirectory) => Path.Combine(outputDirectory, "last.ckpt");
}
