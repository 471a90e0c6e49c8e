using System;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// A whole image classification dataset in memory as two tensors: the images as bytes, shape
/// (N, C, H, W), and the labels as int64, shape (N). Keeping the bytes (4x smaller than float32)
/// and converting per batch lets the whole set live in one tensor, on the CPU or a GPU.
/// The dataset owns both tensors; dispose it to free them.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    private ImageDataset(Tensor images, Tensor labels, DatasetInfo info)
    {
        Images = images;
        Labels = labels;
        Info = info;
    }

    /// <summary>The images, uint8, shape (N, C, H, W).</summary>
    public Tensor Images { get; }

    /// <summary>The labels, int64, shape (N), each in [0, number of classes).</summary>
    public Tensor Labels { get; }

    /// <summary>Shape, class names and statistics of the dataset.</summary>
    public DatasetInfo Info { get; }

    /// <summary>The number of images.</summary>
    public long Count => Labels.shape[0];

    /// <summary>
    /// Copies <paramref name="pixels"/> (image after image, channel after channel, row-major) and
    /// <paramref name="labels"/> (one byte per image) into CPU tensors shaped by <paramref name="info"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not match each other or the image shape.</exception>
    public static ImageDataset FromBytes(ReadOnlySpan<byte> pixels, ReadOnlySpan<byte> labels, DatasetInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        long imageLength = (long)info.Channels * info.Height * info.Width;
        if (pixels.Length != labels.Length * imageLength)
        {
            throw new ArgumentException(
                $"{labels.Length} labels need {labels.Length * imageLength} pixel bytes for {info.Channels}x{info.Height}x{info.Width} images, but {pixels.Length} were given.",
                nameof(pixels));
        }

        var longLabels = new long[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            longLabels[i] = labels[i];
        }

        // Detached from any dispose scope the caller may have open: the dataset owns its tensors.
        Tensor images = empty([labels.Length, info.Channels, info.Height, info.Width], ScalarType.Byte).DetachFromDisposeScope();
        if (!pixels.IsEmpty)
        {
            pixels.CopyTo(images.bytes);
        }

        return new ImageDataset(images, tensor(longLabels).DetachFromDisposeScope(), info);
    }

    /// <summary>Frees both tensors.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
