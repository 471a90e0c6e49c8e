using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Training.Reporting;
using static TorchSharp.torch;

namespace DeclCnn.App;

/// <summary>
/// One <c>compare</c> command: every network trained once per seed on the same data with the same recipe, each run in
/// its own folder (<c>&lt;output&gt;/&lt;network&gt;/seed-&lt;seed&gt;</c>), then the <see cref="ComparisonReport"/>. A run
/// folder whose history already has every epoch is read instead of trained again, and one with a checkpoint resumes,
/// so a comparison that was stopped continues where it was; a folder trained with another recipe is refused.
/// </summary>
internal sealed record Comparison(
    IReadOnlyList<DeclaredNetwork> Networks,
    Recipe Recipe,
    IReadOnlyList<ulong> Seeds,
    int? TrainImages,
    int? TestImages,
    string OutputDirectory,
    ComparisonPreset? Preset)
{
    /// <summary>The seed of the training and test subsets: the same images for every run and every seed.</summary>
    private const ulong SubsetSeed = 0;

    /// <summary>The file in each run folder that records the data and recipe it was trained with.</summary>
    public const string RecipeFile = "recipe.txt";

    public int Execute(TextWriter output)
    {
        output.WriteLine(Preset is null ? $"Comparing {string.Join(", ", Networks.Select(static n => n.Name))}" : $"Preset '{Preset.Name}': {Preset.Description}");
        using TrainTestSplit data = LoadData(output);
        string heading = $"{data.Train.Info.Name}: {data.Train.Count:N0} training images, {data.Test.Count:N0} test images; {Recipe.Describe()}";
        output.WriteLine($"{heading}; seeds {string.Join(", ", Seeds)}; {get_num_threads()} threads.");
        output.WriteLine($"Table, plots and runs: {OutputDirectory}");

        var runs = new List<ComparedRun>();
        foreach (DeclaredNetwork network in Networks)
        {
            foreach (ulong seed in Seeds)
            {
                TrainingHistory history = TrainOrRead(network, seed, data, heading, output);
                runs.Add(new ComparedRun(network.Name, network.Summary.TotalParameters, network.Summary.TotalMultiplyAdds, seed, history));
                output.WriteLine($"{network.Name}, seed {seed}: best test top-1 {ComparisonReport.BestTop1(history):P2} in {history.Epochs.Count} epoch(s).");

                // Written after every run, so that a long comparison shows its results as they come.
                ComparisonReport.Save(runs, OutputDirectory, heading);
            }
        }

        output.WriteLine();
        output.WriteLine(ComparisonReport.Table(runs).TrimEnd());
        output.WriteLine($"Plots: {Path.Combine(OutputDirectory, ComparisonReport.AccuracyFile)}, {Path.Combine(OutputDirectory, ComparisonReport.LossFile)}");
        return 0;
    }

    private TrainingHistory TrainOrRead(DeclaredNetwork network, ulong seed, TrainTestSplit data, string heading, TextWriter output)
    {
        string folder = Path.Combine(OutputDirectory, network.Name, $"seed-{seed}");
        string recipeFile = Path.Combine(folder, RecipeFile);
        string historyFile = Path.Combine(folder, TrainingHistory.JsonFileName);
        bool started = File.Exists(recipeFile);
        if (started)
        {
            string recorded = File.ReadAllText(recipeFile);
            if (recorded != heading)
            {
                throw new InvalidOperationException($"'{folder}' holds a run trained otherwise ({recorded}); delete it or choose another --output.");
            }

            if (File.Exists(historyFile) && TrainingHistory.FromJson(File.ReadAllText(historyFile)) is { } finished && finished.Epochs.Count == Recipe.Epochs)
            {
                output.WriteLine($"{network.Name}, seed {seed}: read the finished run in {folder}.");
                return finished;
            }
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(recipeFile, heading);
        output.WriteLine($"{network.Name}, seed {seed}: training into {folder}.");
        manual_seed((long)seed);
        using nn.Module<Tensor, Tensor> model = network.Create();
        using Trainer trainer = Recipe.CreateTrainer(model, data, seed, folder, [new ProgressCallback()]);
        string last = Recipe.LastCheckpoint(folder);
        if (started && File.Exists(last))
        {
            trainer.Resume(last);
        }

        return trainer.Fit().History;
    }

    /// <summary>The data set, or the same random subsets of it for every run when a size is asked for.</summary>
    private TrainTestSplit LoadData(TextWriter output)
    {
        TrainTestSplit full = DataSets.Load(Recipe.DataSet, Recipe.DataRoot, output.WriteLine);
        if (TrainImages is null && TestImages is null)
        {
            return full;
        }

        using (full)
        {
            ImageDataset train = Subset(full.Train, TrainImages, "--train-images", "training");
            try
            {
                return new TrainTestSplit(train, Subset(full.Test, TestImages, "--test-images", "test"));
            }
            catch
            {
                train.Dispose();
                throw;
            }
        }
    }

    private static ImageDataset Subset(ImageDataset images, int? count, string option, string kind)
    {
        if (count > images.Count)
        {
            throw new ArgumentException($"{option} {count} is more than the {images.Count:N0} {kind} images of {images.Info.Name}.", option);
        }

        return images.RandomSubset(count ?? images.Count, SubsetSeed);
    }
}
