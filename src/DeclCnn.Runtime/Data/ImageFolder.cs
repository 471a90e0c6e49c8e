using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Inference;
using SkiaSharp;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// Reads an image classification dataset stored as one folder per class (<c>root/cat/001.png</c>,
/// <c>root/dog/a.jpg</c>, ...), decoding PNG and JPEG with SkiaSharp, into one <see cref="ImageDataset"/>.
/// </summary>
/// <remarks>
/// <para>Classes are the sub-folders of the root in ordinal (culture-independent) name order; label <c>i</c> is the
/// <c>i</c>-th folder. In each folder, the files named <c>*.png</c>, <c>*.jpg</c> or <c>*.jpeg</c> (any case) are
/// the images, in ordinal name order; other files, nested folders and files directly in the root are ignored.</para>
/// <para>Images are decoded by <see cref="ImageDecoder"/>, as a <see cref="Inference.Classifier"/> decodes them: the
/// same channels (3 gives RGB, 1 gives luma, <c>(299 R + 587 G + 114 B + 500) / 1000</c>, ITU-R BT.601), alpha
/// ignored (colours as stored, also under fully transparent pixels), 16-bit PNGs at 8 bits, no EXIF orientation, and
/// the same limit, <see cref="ImageDecoder.DefaultMaxPixels"/>, on the size an image declares.</para>
/// <para>Size: with a <c>size</c>, every image is resized to it (<see cref="ImageFit.Resize"/>: bicubic, Mitchell
/// filter; aspect ratio not kept); without one, every image must have the size of the first, and a different one is
/// an error naming the file.</para>
/// <para>Everything is decoded and checked before the tensors are made: an error leaves nothing loaded.</para>
/// </remarks>
public static class ImageFolder
{
    /// <summary>The file extensions read as images (compared ignoring case).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg"];

    /// <summary>
    /// Loads every image under <paramref name="directory"/>, labelled by its class folder. The dataset's statistics
    /// (<see cref="DatasetInfo.ChannelStatistics"/> and <see cref="DatasetInfo.Normalization"/>) are computed from the
    /// loaded images when there are at least <see cref="DatasetStatistics.MinimumImages"/> and no channel is constant;
    /// otherwise they are left unknown (<c>ChannelStatistics</c> null, <see cref="Normalization.None"/>: mean 0, std 1),
    /// so that a few images, e.g. a folder to classify, never pass for a data set's statistics: normalize them with the
    /// training set's (a <see cref="Inference.Classifier"/> uses its model file's).
    /// </summary>
    /// <param name="directory">The root: one sub-folder per class.</param>
    /// <param name="size">Height and width to resize every image to; null requires all images to share one size.</param>
    /// <param name="channels">1 (luma) or 3 (RGB).</param>
    /// <param name="name">The dataset's display name; default: the root folder's name.</param>
    /// <returns>uint8 images (N, channels, height, width) and int64 labels, owned by the caller.</returns>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="InvalidDataException">There is no class folder, a class folder has no image, an image cannot be decoded or declares more than <see cref="ImageDecoder.DefaultMaxPixels"/> pixels, sizes differ (without <paramref name="size"/>), or all images together need more than <see cref="Array.MaxLength"/> bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The size is not positive or the channel count is not 1 or 3.</exception>
    public static ImageDataset Load(string directory, (int Height, int Width)? size = null, int channels = 3, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (size is { } s && (s.Height <= 0 || s.Width <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "Image sizes must be positive.");
        }

        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "ImageFolder reads 1 (luma) or 3 (RGB) channels.");
        }

        string root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Image folder '{root}' does not exist.");
        }

        string[] classFolders = Directory.GetDirectories(root).Order(StringComparer.Ordinal).ToArray();
        if (classFolders.Length == 0)
        {
            throw new InvalidDataException($"Image folder '{root}' has no class folders; expected one sub-folder of images per class.");
        }

        var files = new List<(string Path, long Label)>();
        for (int label = 0; label < classFolders.Length; label++)
        {
            string[] images = Directory.GetFiles(classFolders[label])
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (images.Length == 0)
            {
                throw new InvalidDataException(
                    $"Class folder '{classFolders[label]}' has no images; expected files named *{string.Join(", *", Extensions)}.");
            }

            files.AddRange(images.Select(f => (f, (long)label)));
        }

        int height = size?.Height ?? 0, width = size?.Width ?? 0;
        byte[]? pixels = null;
        ImageDecoder? decoder = null;
        string? sizeSource = null;
        for (int i = 0; i < files.Count; i++)
        {
            string path = files[i].Path;
            using SKBitmap bitmap = ImageDecoder.DecodeBitmap(ImageDecoder.ReadFile(path), path, ImageDecoder.DefaultMaxPixels);
            if (decoder is null)
            {
                if (size is null)
                {
                    (height, width, sizeSource) = (bitmap.Height, bitmap.Width, path);
                }

                long total = (long)files.Count * channels * height * width;
                if (total > Array.MaxLength)
                {
                    throw new InvalidDataException(
                        $"Image folder '{root}' holds {files.Count} images of {channels}x{height}x{width}: {total} bytes, more than the {Array.MaxLength} one dataset may hold; pass a smaller size.");
                }

                pixels = new byte[total];
                decoder = new ImageDecoder(channels, height, width, ImageFit.Resize);
            }
            else if (size is null && (bitmap.Height != height || bitmap.Width != width))
            {
                throw new InvalidDataException(
                    $"Image file '{path}' is {bitmap.Width}x{bitmap.Height} (width x height) but '{sizeSource}' is {width}x{height}; "
                    + "pass a size to ImageFolder.Load to resize every image to it.");
            }

            decoder.Convert(bitmap, path, pixels.AsSpan(i * decoder.PixelCount, decoder.PixelCount));
        }

        string[] classNames = classFolders.Select(f => Path.GetFileName(f)!).ToArray();
        var info = new DatasetInfo(name ?? Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar)), channels, height, width, classNames, Normalization.None);
        long[] labels = files.Select(f => f.Label).ToArray();
        ImageDataset dataset = ImageDataset.FromBytes(pixels, labels, info);
        if (dataset.Count < DatasetStatistics.MinimumImages)
        {
            return dataset;
        }

        try
        {
            (ChannelStatistics perChannel, Normalization overall) = DatasetStatistics.Compute(dataset);
            return dataset.WithInfo(info with { Normalization = overall, ChannelStatistics = perChannel });
        }
        catch (ArgumentException)
        {
            // A constant channel cannot be normalized; the dataset stays with mean 0, std 1.
            return dataset;
        }
    }
}
