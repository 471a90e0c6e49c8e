using System;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Augmentation;
using DeclCnn.Runtime.Inference;
using DeclCnn.Runtime.Tests.Inference;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Data;

/// <summary><see cref="ImageFolder"/> on PNG and JPEG files these tests encode themselves with SkiaSharp.</summary>
public sealed class ImageFolderTests : IDisposable
{
    private readonly TempDirectory root = new();

    public ImageFolderTests() => Synthetic.EnsureTorch();

    public void Dispose() => root.Dispose();

    [Fact]
    public void Png_images_load_exactly_with_classes_and_files_in_ordinal_order()
    {
        // Ordinal order: "B" < "C" < "a"; inside a folder "10.png" < "2.png".
        WriteImage("a", "x.png", Pattern(4, 5, 1));
        WriteImage("C", "2.png", Pattern(4, 5, 2));
        WriteImage("C", "10.png", Pattern(4, 5, 3));
        WriteImage("B", "only.PNG", Pattern(4, 5, 4));
        File.WriteAllText(Path.Combine(root.Path, "C", "notes.txt"), "not an image");
        File.WriteAllText(Path.Combine(root.Path, "stray.png"), "ignored: not in a class folder");

        using ImageDataset data = ImageFolder.Load(root.Path);

        Assert.Equal(["B", "C", "a"], data.Info.ClassNames);
        Assert.Equal([4L, 3, 4, 5], data.Images.shape);
        Assert.Equal([0L, 1, 1, 2], data.Labels.data<long>().ToArray());
        byte[] pixels = data.Images.data<byte>().ToArray();
        int length = 3 * 4 * 5;
        int[] seeds = [4, 3, 2, 1];
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(Planes(Pattern(4, 5, seeds[i])), pixels.AsSpan(i * length, length).ToArray());
        }

        // Four images are too few for statistics: they stay unknown rather than describing these four.
        Assert.Null(data.Info.ChannelStatistics);
        Assert.Equal(Normalization.None, data.Info.Normalization);
    }

    [Fact]
    public void Statistics_are_computed_from_a_hundred_images_and_not_from_ninety_nine()
    {
        for (int i = 0; i < DatasetStatistics.MinimumImages - 1; i++)
        {
            WriteImage(i % 2 == 0 ? "a" : "b", $"{i}.png", Pattern(2, 2, i));
        }

        using (ImageDataset few = ImageFolder.Load(root.Path))
        {
            Assert.Equal(DatasetStatistics.MinimumImages - 1, few.Count);
            Assert.Null(few.Info.ChannelStatistics);
            Assert.Equal(Normalization.None, few.Info.Normalization);
        }

        WriteImage("a", "last.png", Pattern(2, 2, 1000));
        using ImageDataset enough = ImageFolder.Load(root.Path);

        Assert.Equal(DatasetStatistics.Compute(enough).PerChannel, enough.Info.ChannelStatistics);
        Assert.NotEqual(Normalization.None, enough.Info.Normalization);
    }

    [Fact]
    public void Fully_transparent_pixels_keep_their_colour_as_the_classifier_reads_them()
    {
        // Written by hand: encoders may drop the colour of transparent pixels, and SKBitmap.Copy() zeroes it.
        string directory = Directory.CreateDirectory(Path.Combine(root.Path, "a")).FullName;
        string path = Path.Combine(directory, "clear.png");
        File.WriteAllBytes(path, TestImages.RgbaPng(3, 2, new SKColor(200, 100, 50, 0)));

        using ImageDataset rgb = ImageFolder.Load(root.Path);
        using ImageDataset luma = ImageFolder.Load(root.Path, channels: 1);

        byte[] expected = [.. Enumerable.Repeat((byte)200, 6), .. Enumerable.Repeat((byte)100, 6), .. Enumerable.Repeat((byte)50, 6)];
        Assert.Equal(expected, rgb.Images.data<byte>().ToArray());
        Assert.Equal(new ImageDecoder(3, 2, 3).Read(path), rgb.Images.data<byte>().ToArray());
        Assert.Equal(Enumerable.Repeat((byte)124, 6), luma.Images.data<byte>().ToArray());
    }

    [Fact]
    public void One_channel_is_the_bt601_luma()
    {
        SKColor[,] image = Pattern(3, 3, 5);
        WriteImage("only", "g.png", image);

        using ImageDataset data = ImageFolder.Load(root.Path, channels: 1);

        Assert.Equal([1L, 1, 3, 3], data.Images.shape);
        byte[] expected = image.Cast<SKColor>().Select(c => (byte)(((299 * c.Red) + (587 * c.Green) + (114 * c.Blue) + 500) / 1000)).ToArray();
        Assert.Equal(expected, data.Images.data<byte>().ToArray());
    }

    [Fact]
    public void Jpeg_images_decode_close_to_what_was_encoded()
    {
        SKColor[,] smooth = new SKColor[16, 16];
        for (int y = 0; y < 16; y++)
        {
            for (int x = 0; x < 16; x++)
            {
                smooth[y, x] = new SKColor((byte)(x * 16), (byte)(y * 16), 128);
            }
        }

        WriteImage("cat", "a.jpg", smooth, SKEncodedImageFormat.Jpeg);
        WriteImage("dog", "b.JPEG", smooth, SKEncodedImageFormat.Jpeg);

        using ImageDataset data = ImageFolder.Load(root.Path);

        Assert.Equal([2L, 3, 16, 16], data.Images.shape);
        byte[] expected = Planes(smooth);
        byte[] first = data.Images[0].data<byte>().ToArray();
        double meanError = first.Zip(expected, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(meanError, 0, 6);
    }

    [Fact]
    public void Different_sizes_are_resized_to_the_size_given_and_rejected_without_one()
    {
        WriteImage("a", "big.png", Pattern(8, 6, 1));
        WriteImage("b", "small.png", Pattern(4, 4, 2));
        WriteImage("b", "jpeg.jpg", Pattern(5, 7, 3), SKEncodedImageFormat.Jpeg);

        using ImageDataset resized = ImageFolder.Load(root.Path, size: (4, 3), name: "shapes");

        Assert.Equal([3L, 3, 4, 3], resized.Images.shape);
        Assert.Equal("shapes", resized.Info.Name);
        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(root.Path));
        Assert.Contains(Path.Combine(root.Path, "b", "jpeg.jpg"), error.Message);
        Assert.Contains("7x5", error.Message);
    }

    [Fact]
    public void A_uniform_size_needs_no_resizing()
    {
        WriteImage("a", "1.png", Pattern(2, 3, 1));

        using ImageDataset same = ImageFolder.Load(root.Path, size: (2, 3));

        Assert.Equal(Planes(Pattern(2, 3, 1)), same.Images.data<byte>().ToArray());
    }

    [Fact]
    public void Corrupt_and_truncated_images_are_reported_by_file()
    {
        WriteImage("a", "good.png", Pattern(8, 8, 1));
        string garbage = Path.Combine(root.Path, "a", "garbage.png");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 100).Select(i => (byte)(i * 7)).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(root.Path));
        Assert.Contains(garbage, error.Message);

        File.Delete(garbage);
        SKColor[,] noisy = Pattern(32, 32, 9);
        string truncated = Path.Combine(root.Path, "a", "truncated.jpg");
        WriteImage("a", "truncated.jpg", noisy, SKEncodedImageFormat.Jpeg);
        byte[] whole = File.ReadAllBytes(truncated);
        File.WriteAllBytes(truncated, whole.AsSpan(0, whole.Length / 2).ToArray());

        error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(root.Path));
        Assert.Contains(truncated, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Missing_empty_and_classless_folders_are_errors()
    {
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Load(Path.Combine(root.Path, "missing")));
        var none = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(root.Path));
        Assert.Contains("no class folders", none.Message);

        WriteImage("a", "1.png", Pattern(2, 2, 1));
        string empty = Directory.CreateDirectory(Path.Combine(root.Path, "b")).FullName;
        File.WriteAllText(Path.Combine(empty, "readme.txt"), "no images here");
        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(root.Path));
        Assert.Contains(empty, error.Message);
        Assert.Contains("no images", error.Message);

        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFolder.Load(root.Path, channels: 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFolder.Load(root.Path, size: (0, 3)));
    }

    [Fact]
    public void The_loaded_dataset_feeds_the_loader()
    {
        WriteImage("a", "1.png", Pattern(6, 6, 1));
        WriteImage("b", "2.png", Pattern(6, 6, 2));
        using ImageDataset data = ImageFolder.Load(root.Path);
        var loader = new BatchLoader(data, new LoaderOptions
        {
            BatchSize = 2,
            Transform = new Compose(new RandomCrop(1), new RandomHorizontalFlip(), new Normalize(data.Info.GetChannelStatistics())),
        });

        int batches = 0;
        foreach (Batch batch in loader.Epoch(0))
        {
            // A batch is valid only inside the loop.
            Assert.Equal([2L, 3, 6, 6], batch.Images.shape);
            batches++;
        }

        Assert.Equal(1, batches);
    }

    /// <summary>A deterministic, non-uniform opaque image of <paramref name="height"/> x <paramref name="width"/>.</summary>
    private static SKColor[,] Pattern(int height, int width, int seed)
    {
        var random = new Random(seed);
        var image = new SKColor[height, width];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[y, x] = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            }
        }

        return image;
    }

    private static byte[] Planes(SKColor[,] image)
    {
        SKColor[] pixels = image.Cast<SKColor>().ToArray();
        return pixels.Select(c => c.Red).Concat(pixels.Select(c => c.Green)).Concat(pixels.Select(c => c.Blue)).ToArray();
    }

    private void WriteImage(string folder, string file, SKColor[,] image, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        int height = image.GetLength(0), width = image.GetLength(1);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, image[y, x]);
            }
        }

        using SKData data = bitmap.Encode(format, 95);
        string directory = Directory.CreateDirectory(Path.Combine(root.Path, folder)).FullName;
        File.WriteAllBytes(Path.Combine(directory, file), data.ToArray());
    }
}
