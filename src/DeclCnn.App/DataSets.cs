using System;
using System.Collections.Generic;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Cifar;

namespace DeclCnn.App;

/// <summary>The data sets the command line can train and evaluate on, by name.</summary>
public static class DataSets
{
    /// <summary>The names <c>--data</c> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["fashion-mnist", "mnist", "cifar10", "cifar100"];

    /// <summary>
    /// Loads the training and test sets of <paramref name="name"/> under <paramref name="dataRoot"/> (the default data
    /// root when null), building or downloading them on first use as their loaders do.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static TrainTestSplit Load(string name, string? dataRoot, Action<string> progress) => name switch
    {
        "fashion-mnist" => FashionMnist.Load(dataRoot, progress),
        "mnist" => Mnist.Load(dataRoot, progress),
        "cifar10" => Cifar10.Load(dataRoot),
        "cifar100" => Cifar100.Load(dataRoot),
        _ => throw new ArgumentException($"Unknown data set '{name}'; use one of {string.Join(", ", Names)}.", nameof(name)),
    };
}
