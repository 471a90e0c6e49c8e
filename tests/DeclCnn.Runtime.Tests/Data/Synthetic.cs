using DeclCnn.Runtime.Native;
using System.Linq;
using DeclCnn.Runtime.Data;

namespace DeclCnn.Runtime.Tests.Data;

/// <summary>Small in-memory datasets for tests that need TorchSharp.</summary>
internal static class Synthetic
{
    /// <summary>Loads TorchSharp's native library (with the Debian 12 fix where needed) before any tensor is made.</summary>
    public static void EnsureTorch() => TorchSharpNative.EnsureLoaded();

    /// <summary>Info for <paramref name="classes"/> classes of 1 x <paramref name="side"/> x <paramref name="side"/> images.</summary>
    public static DatasetInfo Info(int side, int classes, Normalization normalization) =>
        new("Synthetic", 1, side, side, Enumerable.Range(0, classes).Select(c => $"class {c}").ToArray(), normalization);

    /// <summary><paramref name="count"/> images of <paramref name="channels"/> x <paramref name="side"/> x <paramref name="side"/> random bytes, labels in 0..9.</summary>
    public static ImageDataset Random(int count, int channels, int side, int seed)
    {
        var random = new System.Random(seed);
        byte[] pixels = new byte[count * channels * side * side];
        random.NextBytes(pixels);
        byte[] labels = Enumerable.Range(0, count).Select(_ => (byte)random.Next(10)).ToArray();
        var info = new DatasetInfo("Random", channels, side, side, Enumerable.Range(0, 10).Select(c => $"class {c}").ToArray(), Normalization.None);
        return ImageDataset.FromBytes(pixels, labels, info);
    }

    /// <summary>
    /// <paramref name="count"/> images of 1x2x2 whose four pixels all equal the image's index, labelled
    /// index mod 3, so a batch shows which images it holds.
    /// </summary>
    public static ImageDataset Indexed(int count, Normalization normalization)
    {
        byte[] pixels = Enumerable.Range(0, count).SelectMany(i => Enumerable.Repeat((byte)i, 4)).ToArray();
        byte[] labels = Enumerable.Range(0, count).Select(i => (byte)(i % 3)).ToArray();
        return ImageDataset.FromBytes(pixels, labels, Info(2, 3, normalization));
    }
}
