using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
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
/// <para>Size: with a <c>size</c>, every image is resized to it (bicubic, Mitchell filter; aspect ratio not kept);
/// without one, every image must have the size of the first, and a different one is an error naming the file.</para>
/// <para>Channels: 3 gives RGB, 1 gives luma, <c>(299 R + 587 G + 114 B + 500) / 1000</c> (ITU-R BT.601, as in
/// PIL's <c>convert("L")</c> up to rounding). Alpha is ignored (the colour values are taken unpremultiplied).
/// EXIF orientation is not applied: images are read as stored.</para>
/// <para>Everything is decoded and checked before the tensors are made: an error leaves nothing loaded.</para>
/// </remarks>
public static class ImageFolder
{
    /// <summary>
    /// The most pixels (width x height) an image file may declare: 2^27 = 134,217,728, for example 16,384 x 8,192; decoded
    /// as RGBA that is 512 MiB. A file declaring more is refused from its header, before any pixel is decoded.
    /// </summary>
    public const long MaxImagePixels = 1L << 27;

    /// <summary>The file extensions read as images (compared ignoring case).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg"];

    /// <summary>
    /// Loads every image under <paramref name="directory"/>, labelled by its class folder. The dataset's statistics
    /// (<see cref="DatasetInfo.ChannelStatistics"/> and <see cref="DatasetInfo.Normalization"/>) are computed from the
    /// loaded images; if a channel is constant they are left at mean 0, std 1.
    /// </summary>
    /// <param name="directory">The root: one sub-folder per class.</param>
    /// <param name="size">Height and width to resize every image to; null requires all images to share one size.</param>
    /// <param name="channels">1 (luma) or 3 (RGB).</param>
    /// <param name="name">The dataset's display name; default: the root folder's name.</param>
    /// <returns>uint8 images (N, channels, height, width) and int64 labels, owned by the caller.</returns>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="InvalidDataException">There is no class folder, a class folder has no image, an image cannot be decoded or declares more than <see cref="MaxImagePixels"/> pixels, sizes differ (without <paramref name="size"/>), or all images together need more than <see cref="Array.MaxLength"/> bytes.</exception>
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
        string? sizeSource = null;
        for (int i = 0; i < files.Count; i++)
        {
            string path = files[i].Path;
            using SKBitmap bitmap = Decode(path);
            if (pixels is null)
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
            }
            else if (size is null && (bitmap.Height != height || bitmap.Width != width))
            {
                throw new InvalidDataException(
                    $"Image file '{path}' is {bitmap.Width}x{bitmap.Height} (width x height) but '{sizeSource}' is {width}x{height}; "
                    + "pass a size to ImageFolder.Load to resize every image to it.");
            }

            using SKBitmap resized = bitmap.Width == width && bitmap.Height == height ? bitmap.Copy() : Resize(bitmap, height, width, path);
            CopyPlanes(resized, pixels.AsSpan(i * channels * height * width, channels * height * width), channels);
        }

        string[] classNames = classFolders.Select(f => Path.GetFileName(f)!).ToArray();
        var info = new DatasetInfo(name ?? Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar)), channels, height, width, classNames, Normalization.None);
        long[] labels = files.Select(f => f.Label).ToArray();
        ImageDataset dataset = ImageDataset.FromBytes(pixels, labels, info);
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

    /// <summary>Decodes one PNG or JPEG file to unpremultiplied RGBA, or throws naming the file.</summary>
    private static SKBitmap Decode(string path)
    {
        byte[] encoded;
        try
        {
            encoded = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Image file '{path}' cannot be read: {e.Message}", e);
        }

        using var data = SKData.CreateCopy(encoded);
        using SKCodec? codec = SKCodec.Create(data);
        if (codec is null)
        {
            throw new InvalidDataException($"Image file '{path}' is not a PNG or JPEG image SkiaSharp can decode (unknown format or corrupt header).");
        }

        if (codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg))
        {
            throw new InvalidDataException($"Image file '{path}' holds a {codec.EncodedFormat} image; ImageFolder reads PNG and JPEG.");
        }

        long declared = (long)codec.Info.Width * codec.Info.Height;
        if (declared > MaxImagePixels)
        {
            throw new InvalidDataException(
                string.Create(CultureInfo.InvariantCulture, $"Image file '{path}' declares {codec.Info.Width}x{codec.Info.Height} pixels ({declared:N0}), more than the {MaxImagePixels:N0} ImageFolder decodes (ImageFolder.MaxImagePixels)."));
        }

        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        SKCodecResult result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            string reason = result == SKCodecResult.IncompleteInput ? "the file is truncated or corrupt (incomplete image data)" : $"decoding failed ({result})";
            throw new InvalidDataException($"Image file '{path}' cannot be decoded: {reason}.");
        }

        return bitmap;
    }

    private static SKBitmap Resize(SKBitmap bitmap, int height, int width, string path)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        return bitmap.Resize(info, new SKSamplingOptions(SKCubicResampler.Mitchell))
            ?? throw new InvalidDataException($"Image file '{path}' could not be resized from {bitmap.Width}x{bitmap.Height} to {width}x{height}.");
    }

    /// <summary>Writes an RGBA bitmap as <paramref name="channels"/> planes (R, G, B, or luma) into <paramref name="target"/>.</summary>
    private static void CopyPlanes(SKBitmap bitmap, Span<byte> target, int channels)
    {
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        int plane = bitmap.Width * bitmap.Height, rowBytes = bitmap.RowBytes;
        for (int y = 0; y < bitmap.Height; y++)
        {
            ReadOnlySpan<byte> row = rgba.Slice(y * rowBytes, bitmap.Width * 4);
            for (int x = 0; x < bitmap.Width; x++)
            {
                int i = (y * bitmap.Width) + x;
                byte r = row[x * 4], g = row[(x * 4) + 1], b = row[(x * 4) + 2];
                if (channels == 3)
                {
                    target[i] = r;
                    target[plane + i] = g;
                    target[(2 * plane) + i] = b;
                }
                else
                {
                    target[i] = (byte)(((299 * r) + (587 * g) + (114 * b) + 500) / 1000);
                }
            }
        }
    }
}
