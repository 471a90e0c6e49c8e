using System;
using System.Globalization;
using System.IO;
using SkiaSharp;

namespace DeclCnn.Runtime.Inference;

/// <summary>
/// Turns a PNG or JPEG image (a file, encoded bytes, or a decoded <see cref="SKBitmap"/>) into a network's input
/// pixels: <c>channels x height x width</c> bytes, one plane per channel, as datasets store images.
/// </summary>
/// <remarks>
/// <para>Channels: a 3-channel network gets R, G and B; a 1-channel network gets luma,
/// <c>(299 R + 587 G + 114 B + 500) / 1000</c> (ITU-R BT.601; <see cref="Data.ImageFolder"/> decodes training images
/// through this class, so they agree exactly). A grey image given to a 3-channel network has R = G = B.</para>
/// <para>Alpha is ignored: the colour values are taken unpremultiplied, as stored, so a transparent pixel keeps its
/// colour rather than turning black. 16-bit PNGs are reduced to 8 bits per channel when decoded, the precision the
/// training data has. EXIF orientation is not applied.</para>
/// <para>Size: see <see cref="ImageFit"/>; an image of the input size is taken as it is.</para>
/// <para>Limits: the size an image declares in its header is checked before any pixel is decoded; an image of more
/// than <see cref="MaxPixels"/> pixels is refused, so a small file that declares a huge image cannot exhaust memory.</para>
/// <para>Every failure is an <see cref="InvalidDataException"/> whose message names the file (or the name given for
/// encoded bytes).</para>
/// </remarks>
public sealed class ImageDecoder
{
    /// <summary>The default limit on an image's declared width x height: 40 megapixels (160 MB decoded).</summary>
    public const long DefaultMaxPixels = 40_000_000;

    /// <summary>A decoder for a network whose input is <paramref name="channels"/> x <paramref name="height"/> x <paramref name="width"/>.</summary>
    /// <param name="channels">1 (luma) or 3 (RGB).</param>
    /// <param name="height">The input height.</param>
    /// <param name="width">The input width.</param>
    /// <param name="fit">How images of another size are fitted.</param>
    /// <param name="maxPixels">The largest width x height accepted.</param>
    /// <exception cref="ArgumentOutOfRangeException">The channel count is not 1 or 3, or a size or the limit is not positive.</exception>
    public ImageDecoder(int channels, int height, int width, ImageFit fit = ImageFit.Resize, long maxPixels = DefaultMaxPixels)
    {
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images decode to 1 (luma) or 3 (RGB) channels.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        if (!Enum.IsDefined(fit))
        {
            throw new ArgumentOutOfRangeException(nameof(fit), fit, null);
        }

        (Channels, Height, Width, Fit, MaxPixels) = (channels, height, width, fit, maxPixels);
    }

    /// <summary>The channels of the result: 1 (luma) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>The height of the result.</summary>
    public int Height { get; }

    /// <summary>The width of the result.</summary>
    public int Width { get; }

    /// <summary>How images of another size are fitted.</summary>
    public ImageFit Fit { get; }

    /// <summary>The largest width x height accepted, checked before decoding.</summary>
    public long MaxPixels { get; }

    /// <summary>The number of bytes of one result: channels x height x width.</summary>
    public int PixelCount => Channels * Height * Width;

    /// <summary>Reads and decodes the image file <paramref name="path"/>.</summary>
    /// <returns>The planes, <see cref="PixelCount"/> bytes.</returns>
    /// <exception cref="InvalidDataException">The file is missing, unreadable, empty, not a PNG or JPEG image, too large, truncated or corrupt.</exception>
    public byte[] Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Decode(ReadFile(path), path);
    }

    /// <summary>Decodes an encoded PNG or JPEG image.</summary>
    /// <param name="encoded">The file's bytes.</param>
    /// <param name="source">What to call the image in error messages, e.g. its file name or URL.</param>
    /// <returns>The planes, <see cref="PixelCount"/> bytes.</returns>
    /// <exception cref="InvalidDataException">The bytes are empty, not a PNG or JPEG image, too large, truncated or corrupt.</exception>
    public byte[] Decode(ReadOnlySpan<byte> encoded, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        using SKBitmap bitmap = DecodeBitmap(encoded, source, MaxPixels);
        return Convert(bitmap, source);
    }

    /// <summary>Fits an already decoded image to the input.</summary>
    /// <param name="image">Any SkiaSharp bitmap; its colour and alpha types are converted as needed.</param>
    /// <returns>The planes, <see cref="PixelCount"/> bytes.</returns>
    public byte[] Convert(SKBitmap image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Convert(image, "the bitmap");
    }

    /// <summary>The bytes of the file <paramref name="path"/>, or an <see cref="InvalidDataException"/> naming it.</summary>
    internal static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Image file '{path}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// Decodes a PNG or JPEG to unpremultiplied RGBA at its own size, refusing from its header an image of more than
    /// <paramref name="maxPixels"/> pixels: the first step of every decoding, before the size is fitted.
    /// </summary>
    internal static SKBitmap DecodeBitmap(ReadOnlySpan<byte> encoded, string source, long maxPixels)
    {
        if (encoded.IsEmpty)
        {
            throw new InvalidDataException($"Image file '{source}' is empty.");
        }

        using var data = SKData.CreateCopy(encoded);
        using SKCodec? codec = SKCodec.Create(data);
        if (codec is null)
        {
            throw new InvalidDataException($"Image file '{source}' is not a PNG or JPEG image SkiaSharp can decode (unknown format or corrupt header).");
        }

        if (codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg))
        {
            throw new InvalidDataException($"Image file '{source}' holds a {codec.EncodedFormat} image; PNG and JPEG are read.");
        }

        long pixels = (long)codec.Info.Width * codec.Info.Height;
        if (pixels > maxPixels)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"Image file '{source}' declares {codec.Info.Width}x{codec.Info.Height} pixels (width x height), more than the limit of {maxPixels:N0}; nothing was decoded."));
        }

        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        SKCodecResult result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            string reason = result == SKCodecResult.IncompleteInput ? "the file is truncated or corrupt (incomplete image data)" : $"decoding failed ({result})";
            throw new InvalidDataException($"Image file '{source}' cannot be decoded: {reason}.");
        }

        return bitmap;
    }

    /// <summary>Fits <paramref name="image"/> to the input and writes its planes, <see cref="PixelCount"/> bytes, to <paramref name="target"/>.</summary>
    internal void Convert(SKBitmap image, string source, Span<byte> target)
    {
        if (image.Width <= 0 || image.Height <= 0)
        {
            throw new InvalidDataException($"Image '{source}' has no pixels.");
        }

        bool isRgba = image.ColorType == SKColorType.Rgba8888 && image.AlphaType == SKAlphaType.Unpremul;
        SKBitmap rgba = isRgba ? image : ToRgba(image, source);
        try
        {
            FitInto(rgba, source, target);
        }
        finally
        {
            if (!isRgba)
            {
                rgba.Dispose();
            }
        }
    }

    private byte[] Convert(SKBitmap image, string source)
    {
        byte[] planes = new byte[PixelCount];
        Convert(image, source, planes);
        return planes;
    }

    private void FitInto(SKBitmap rgba, string source, Span<byte> planes)
    {
        int height = Height, width = Width, top = 0, left = 0;
        if (Fit == ImageFit.CenterCrop && (rgba.Width != Width || rgba.Height != Height))
        {
            double scale = Math.Max((double)Height / rgba.Height, (double)Width / rgba.Width);
            height = Math.Max(Height, (int)Math.Round(rgba.Height * scale));
            width = Math.Max(Width, (int)Math.Round(rgba.Width * scale));
            (top, left) = ((height - Height) / 2, (width - Width) / 2);
        }

        if (rgba.Width == width && rgba.Height == height)
        {
            // Read in place: SKBitmap.Copy zeroes the colour of fully transparent pixels.
            CopyPlanes(rgba, planes, top, left);
        }
        else
        {
            using SKBitmap resized = Resize(rgba, height, width, source);
            CopyPlanes(resized, planes, top, left);
        }
    }

    private static SKBitmap ToRgba(SKBitmap image, string source)
    {
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new SKBitmap(info);
        using SKPixmap? pixels = image.PeekPixels();
        if (pixels is null || !pixels.ReadPixels(info, rgba.GetPixels(), rgba.RowBytes))
        {
            rgba.Dispose();
            throw new InvalidDataException($"Image '{source}' ({image.ColorType}, {image.AlphaType}) cannot be converted to RGBA.");
        }

        return rgba;
    }

    private static SKBitmap Resize(SKBitmap bitmap, int height, int width, string source) =>
        bitmap.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKCubicResampler.Mitchell))
            ?? throw new InvalidDataException($"Image '{source}' could not be resized from {bitmap.Width}x{bitmap.Height} to {width}x{height}.");

    /// <summary>Writes the <see cref="Height"/> x <see cref="Width"/> window at (<paramref name="top"/>, <paramref name="left"/>) as planes.</summary>
    private void CopyPlanes(SKBitmap bitmap, Span<byte> target, int top, int left)
    {
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        int plane = Height * Width, rowBytes = bitmap.RowBytes;
        for (int y = 0; y < Height; y++)
        {
            ReadOnlySpan<byte> row = rgba.Slice(((top + y) * rowBytes) + (left * 4), Width * 4);
            for (int x = 0; x < Width; x++)
            {
                int i = (y * Width) + x;
                byte r = row[x * 4], g = row[(x * 4) + 1], b = row[(x * 4) + 2];
                if (Channels == 3)
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
