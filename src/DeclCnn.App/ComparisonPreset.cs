using System.Collections.Generic;
using DeclCnn.Runtime.Training;

namespace DeclCnn.App;

/// <summary>
/// A named, documented comparison that <c>compare --preset NAME</c> runs: the networks (or declared variants of one),
/// the seeds, the data and its size, and the one recipe every run trains with. Every option given on the command line
/// overrides the preset's value.
/// </summary>
/// <param name="Name">The name on the command line.</param>
/// <param name="Description">One line for the help text and the report's heading.</param>
/// <param name="Networks">The declared networks' class names, in table order.</param>
/// <param name="Seeds">The seeds each network is trained with.</param>
/// <param name="DataSet">The data set (<see cref="DataSets.Names"/>).</param>
/// <param name="Epochs">Epochs to train.</param>
/// <param name="BatchSize">Training batch size.</param>
/// <param name="Optimizer">The optimizer and its settings.</param>
/// <param name="Schedule">The learning-rate schedule.</param>
/// <param name="TrainImages">How many training images (the same random subset for every run), or null for all.</param>
/// <param name="TestImages">How many test images (the same random subset for every run), or null for all.</param>
/// <param name="LabelSmoothing">Label smoothing of the cross-entropy loss.</param>
/// <param name="Augment">Whether training batches are augmented (<see cref="Augmentations"/>).</param>
public sealed record ComparisonPreset(
    string Name,
    string Description,
    IReadOnlyList<string> Networks,
    IReadOnlyList<ulong> Seeds,
    string DataSet,
    int Epochs,
    int BatchSize,
    OptimizerSettings Optimizer,
    LearningRateSchedule Schedule,
    int? TrainImages = null,
    int? TestImages = null,
    double LabelSmoothing = 0,
    bool Augment = false) : IRecipePreset;
