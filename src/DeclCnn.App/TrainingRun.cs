using System;
using System.Diagnostics;
using System.IO;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Training.Reporting;
using static TorchSharp.torch;

namespace DeclCnn.App;

/// <summary>One <c>train</c> command, every setting resolved: the network, the data, the loop's settings and the output folder.</summary>
internal sealed record TrainingRun(
    DeclaredNetwork Network,
    string DataSet,
    string? DataRoot,
    int Epochs,
    int BatchSize,
    OptimizerSettings Optimizer,
    LearningRateSchedule Schedule,
    double LabelSmoothing,
    bool Augment,
    ulong Seed,
    string OutputDirectory,
    bool Resume,
    TrainingPreset? Preset)
{
    /// <summary>Trains with the reports of the main job and prints the summary, one line per epoch and the test accuracy.</summary>
    public int Execute(TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        using TrainTestSplit data = DataSets.Load(DataSet, DataRoot, output.WriteLine);
        output.WriteLine($"{data.Train.Info.Name}: {data.Train.Count:N0} training and {data.Test.Count:N0} test images ({clock.Elapsed.TotalSeconds:0.0} s)");

        manual_seed((long)Seed);
        using nn.Module<Tensor, Tensor> model = Network.Create();
        output.WriteLine(Network.Summary.Format(BatchSize).TrimEnd());
        output.WriteLine();

        var train = new BatchLoader(data.Train, new LoaderOptions
        {
            BatchSize = BatchSize,
            Seed = Seed,
            Transform = Augment ? Augmentations.Standard(data.Train.Info) : null,
        });
        var options = new FitOptions
        {
            Epochs = Epochs,
            Seed = Seed,
            Optimizer = Optimizer,
            Schedule = Schedule,
            LabelSmoothing = LabelSmoothing,
            OutputDirectory = OutputDirectory,
            CheckpointMonitor = "val_top1",
        };
        if (Preset is not null)
        {
            output.WriteLine($"Preset '{Preset.Name}': {Preset.Description}");
        }

        output.WriteLine($"{Network.Name}: {Epochs} epoch(s), batch size {BatchSize}, {Optimizer.GetType().Name.Replace("Settings", string.Empty, StringComparison.Ordinal)} lr {Optimizer.LearningRate}, {get_num_threads()} threads.");
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
        using var trainer = new Trainer(model, train, BatchLoader.ForEvaluation(data.Test), options, reporting);
        string last = Path.Combine(OutputDirectory, "last.ckpt");
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
