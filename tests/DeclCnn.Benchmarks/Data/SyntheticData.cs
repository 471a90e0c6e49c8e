using System;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Augmentation;

namespace DeclCnn.Benchmarks.Data;

/// <summary>Random datasets of the real datasets' shapes, so the data benchmarks need no download.</summary>
internal static class SyntheticData
{
    /// <summary>Fashion-MNIST's image shape.</summary>
    public const string FashionMnistShape = "1x28x28";

    /// <summary>CIFAR's image shape.</summary>
    public const string CifarShape = "3x32x32";

    /// <summary><paramref name="count"/> random images of <paramref name="shape"/> ("CxHxW"), ten classes, seeded.</summary>
    public static ImageDataset Create(string shape, int count, int seed = 1)
    {
        int[] size = shape.Split('x').Select(int.Parse).ToArray();
        var random = new Random(seed);
        var pixels = new byte[count * size[0] * size[1] * size[2]];
        random.NextBytes(pixels);
        byte[] labels = Enumerable.Range(0, count).Select(_ => (byte)random.Next(10)).ToArray();
        var info = new DatasetInfo(shape, size[0], size[1], size[2], Enumerable.Range(0, 10).Select(c => $"class {c}").ToArray(), new Normalization(0.5f, 0.29f));
        return ImageDataset.FromBytes(pixels, labels, info);
    }

    /// <summary>The benchmarked chain: crop with padding (4 for CIFAR, 2 for 28x28), flip, normalize, erasing.</summary>
    public static Compose TrainingTransform(ImageDataset dataset) => new(
        new RandomCrop(dataset.Info.Height == 28 ? 2 : 4),
        new RandomHorizontalFlip(),
        new Normalize(dataset.Info.GetChannelStatistics()),
        new RandomErasing());
}
