using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data.Augmentation;

/// <summary>How <see cref="RandomCrop"/> fills the border it adds.</summary>
public enum CropPadding
{
    /// <summary>Zeros (black before normalization).</summary>
    Zero,

    /// <summary>The image mirrored at its edge, without repeating the edge pixel (PyTorch's <c>reflect</c>).</summary>
    Reflect,
}

/// <summary>Where each image of a batch is cropped: the top-left corner of its window in the padded image.</summary>
/// <param name="Top">Row of each window's first row, in [0, padded height - crop height].</param>
/// <param name="Left">Column of each window's first column, in [0, padded width - crop width].</param>
public sealed record CropOffsets(IReadOnlyList<int> Top, IReadOnlyList<int> Left);

/// <summary>
/// Random crop with padding (the classic CIFAR recipe, e.g. 32x32 with 4 pixels of padding): the batch is padded
/// by <see cref="Padding"/> on every side, then each image is cut to <see cref="Height"/> x <see cref="Width"/>
/// (default: its own size) at an offset drawn uniformly for it.
/// </summary>
public sealed class RandomCrop : BatchTransform
{
    /// <summary>Crops to the given size (default: the input's) after padding every side by <paramref name="padding"/>.</summary>
    /// <param name="padding">Pixels added on each side; 0 or more.</param>
    /// <param name="mode">How the border is filled.</param>
    /// <param name="height">Crop height; null keeps the input height.</param>
    /// <param name="width">Crop width; null keeps the input width.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or the padding is negative.</exception>
    public RandomCrop(int padding, CropPadding mode = CropPadding.Zero, int? height = null, int? width = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (height is <= 0 || width is <= 0)
        {
            throw new ArgumentOutOfRangeException(height is <= 0 ? nameof(height) : nameof(width), "Crop sizes must be positive.");
        }

        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown padding mode.");
        }

        Padding = padding;
        Mode = mode;
        Height = height;
        Width = width;
    }

    /// <summary>Pixels added on each side before cropping.</summary>
    public int Padding { get; }

    /// <summary>How the border is filled.</summary>
    public CropPadding Mode { get; }

    /// <summary>Crop height; null keeps the input height.</summary>
    public int? Height { get; }

    /// <summary>Crop width; null keeps the input width.</summary>
    public int? Width { get; }

    /// <summary>Draws the window of each of <paramref name="batch"/> images of <paramref name="height"/> x <paramref name="width"/>: top, then left, image after image.</summary>
    /// <exception cref="ArgumentException">The crop is larger than the padded image.</exception>
    public CropOffsets Sample(AugmentationRandom random, int batch, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(random);
        (int rows, int columns) = Ranges(height, width);
        var top = new int[batch];
        var left = new int[batch];
        for (int i = 0; i < batch; i++)
        {
            top[i] = random.NextInt(0, rows);
            left[i] = random.NextInt(0, columns);
        }

        return new CropOffsets(top, left);
    }

    /// <summary>Pads <paramref name="images"/> and cuts each image's window at the given offsets.</summary>
    /// <exception cref="ArgumentException">The offsets do not fit the batch.</exception>
    public Tensor Apply(Tensor images, CropOffsets offsets)
    {
        RequireBatch(images);
        ArgumentNullException.ThrowIfNull(offsets);
        long batch = images.shape[0], channels = images.shape[1];
        (int rows, int columns) = Ranges((int)images.shape[2], (int)images.shape[3]);
        if (offsets.Top.Count != batch || offsets.Left.Count != batch
            || offsets.Top.Any(t => t < 0 || t >= rows) || offsets.Left.Any(l => l < 0 || l >= columns))
        {
            throw new ArgumentException($"Need {batch} offsets with top in [0, {rows - 1}] and left in [0, {columns - 1}].", nameof(offsets));
        }

        int cropHeight = Height ?? (int)images.shape[2];
        int cropWidth = Width ?? (int)images.shape[3];
        using DisposeScope scope = NewDisposeScope();
        Tensor padded = Padding == 0
            ? images
            : nn.functional.pad(images, [Padding, Padding, Padding, Padding], Mode == CropPadding.Reflect ? PaddingModes.Reflect : PaddingModes.Constant);
        Device device = images.device;
        // Two gathers: first each image's rows, then each image's columns of those rows.
        Tensor rowIndex = tensor(offsets.Top.Select(t => (long)t).ToArray(), device: device).view(batch, 1)
            .add(arange(cropHeight, ScalarType.Int64, device)).view(batch, 1, cropHeight, 1).expand(batch, channels, cropHeight, padded.shape[3]);
        Tensor columnIndex = tensor(offsets.Left.Select(l => (long)l).ToArray(), device: device).view(batch, 1)
            .add(arange(cropWidth, ScalarType.Int64, device)).view(batch, 1, 1, cropWidth).expand(batch, channels, cropHeight, cropWidth);
        return padded.gather(2, rowIndex).gather(3, columnIndex).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override Tensor ApplyToBytes(Tensor images, AugmentationRandom random) => ApplyChainToBytes([this], images, random);

    /// <inheritdoc/>
    public override Tensor Apply(Tensor images, AugmentationRandom random)
    {
        RequireBatch(images);
        return Apply(images, Sample(random, (int)images.shape[0], (int)images.shape[2], (int)images.shape[3]));
    }

    /// <summary>The number of possible top and left offsets for an input of <paramref name="height"/> x <paramref name="width"/>.</summary>
    private (int Rows, int Columns) Ranges(int height, int width)
    {
        int rows = height + (2 * Padding) - (Height ?? height) + 1;
        int columns = width + (2 * Padding) - (Width ?? width) + 1;
        if (rows <= 0 || columns <= 0)
        {
            throw new ArgumentException($"A {Height ?? height}x{Width ?? width} crop does not fit a {height}x{width} image padded by {Padding}.");
        }

        if (Mode == CropPadding.Reflect && (Padding >= height || Padding >= width))
        {
            throw new ArgumentException($"Reflect padding of {Padding} needs images larger than {Padding} pixels; got {height}x{width}.");
        }

        return (rows, columns);
    }
}
