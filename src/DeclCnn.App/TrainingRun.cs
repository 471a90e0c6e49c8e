using System;
using System.Diagnostics;
using System.IO;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Training.Reporting;
using static TorchSharp.torch;

namespace DeclCnn.App;

/// <summary>One <c>train</c> command, every setting resolved: the network, the recipe, the seed and the output folder.</summary>
internal sealed record TrainingRun(
    DeclaredNetwork Network,
    Recipe Recipe,
    ulong Seed,
    string OutputDirectory,
    bool Resume,
    TrainingPreset? Preset)
{
    /// <summary>Trains with the reports of the main job and prints the summary, one line per epoch and the test accuracy.</summary>
    public int Execute(TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        using TrainTestSplit data = DataSets.Load(Recipe.DataSet, Recipe.DataRoot, output.WriteLine);
        output.WriteLine($"{data.Train.Info.Name}: {data.Train.Count:N0} training and {data.Test.Count:N0} test images ({clock.Elapsed.TotalSeconds:0.0} s)");

        manual_seed((long)Seed);
        using nn.Module<Tensor, Tensor> model = Network.Create();
        output.WriteLine(Network.Summary.Format(Recipe.BatchSize).TrimEnd());
        output.WriteLine();

        if (Preset is not null)
        {
            output.WriteLine($"Preset '{Preset.Name}': {Preset.Description}");
        }

        output.WriteLine($"{Network.Name}: {Recipe.Epochs} epoch(s), batch size {Recipe.BatchSize}, {Recipe.Optimizer.GetType().Name.Replace("Settings", string.Empty, StringComparison.Ordinal)} lr {Recipe.Optimizer.LearningRate}, {get_num_threads()} threads.");
        output.WriteLine($"Reports and checkpoints: {OutputDirectory}");

        var grid = new PredictionGridCallback(data.Test, Path.Combine(OutputDirectory, "predictions.png"));
        TrainerCallback[] reporting =
        [
            new ProgressCallback(),
            new TensorBoardCallback(Path.Combine(OutputDirectory, "tensorboard")),
            new PlotsCallback(OutputDirectory),
            grid,
        ];
        clock.Restart();
        using Trainer trainer = Recipe.CreateTrainer(model, data, Seed, OutputDirectory, reporting);
        string last = Recipe.LastCheckpoint(OutputDirectory);
        if (Resume)
        {
            if (!File.Exists(last))
            {
                throw new FileNotFoundException($"--resume: '{OutputDirectory}' has no last.ckpt to continue from.", last);
            }

            trainer.Resume(last);
        }

        FitResult result = trainer.Fit();
        output.WriteLine($"Test accuracy {result.Last.Validation!.Top1:P2} after {result.History.Epochs.Count} epoch(s), {clock.Elapsed.TotalSeconds:0.0} s.");
        output.WriteLine($"Curves: {Path.Combine(OutputDirectory, TrainingPlots.AccuracyFile)}; predictions: {grid.Path}; TensorBoard: tensorboard --logdir {Path.Combine(OutputDirectory, "tensorboard")}");
        return 0;
    }
}
