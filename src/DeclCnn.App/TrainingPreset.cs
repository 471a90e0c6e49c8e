using DeclCnn.Runtime.Training;

namespace DeclCnn.App;

/// <summary>
/// A named, documented training run that <c>train --preset NAME</c> starts from; every option given on the command line
/// overrides the preset's value.
/// </summary>
/// <param name="Name">The name on the command line.</param>
/// <param name="Description">One line for the help text and the run's header.</param>
/// <param name="Network">The declared network's class name.</param>
/// <param name="DataSet">The data set (<see cref="DataSets.Names"/>).</param>
/// <param name="Epochs">Epochs to train.</param>
/// <param name="BatchSize">Training batch size.</param>
/// <param name="Optimizer">The optimizer and its settings.</param>
/// <param name="Schedule">The learning-rate schedule.</param>
/// <param name="LabelSmoothing">Label smoothing of the cross-entropy loss.</param>
/// <param name="Augment">Whether training batches are augmented (<see cref="Augmentations"/>).</param>
public sealed record TrainingPreset(
    string Name,
    string Description,
    string Network,
    string DataSet,
    int Epochs,
    int BatchSize,
    OptimizerSettings Optimizer,
    LearningRateSchedule Schedule,
    double LabelSmoothing = 0,
    bool Augment = false) : IRecipePreset;
