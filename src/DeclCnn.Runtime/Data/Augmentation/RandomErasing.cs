using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data.Augmentation;

/// <summary>The box <see cref="RandomErasing"/> fills in one image; an empty box (<see cref="Height"/> 0) erases nothing.</summary>
/// <param name="Top">First row.</param>
/// <param name="Left">First column.</param>
/// <param name="Height">Rows erased; 0 for none.</param>
/// <param name="Width">Columns erased; 0 for none.</param>
public readonly record struct ErasedBox(int Top, int Left, int Height, int Width)
{
    /// <summary>Whether the box erases anything.</summary>
    public bool IsEmpty => Height == 0 || Width == 0;
}

/// <summary>
/// Random erasing (Zhong et al., 2017, as torchvision's <c>RandomErasing</c>): with probability
/// <see cref="Probability"/>, one rectangle of each image is set to <see cref="Value"/> in every channel. Its area
/// is a fraction of the image drawn uniformly from [<see cref="MinScale"/>, <see cref="MaxScale"/>], its aspect
/// ratio (height / width) log-uniformly from [<see cref="MinRatio"/>, <see cref="MaxRatio"/>]; a box that does
/// not fit is drawn again, up to 10 times, after which the image is left as it is.
/// </summary>
public sealed class RandomErasing : BatchTransform
{
    private const int Attempts = 10;

    /// <summary>Erasing with torchvision's defaults unless given: p 0.5, scale 0.02..0.33, ratio 0.3..3.3, value 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A probability outside [0, 1], or an empty or non-positive range.</exception>
    public RandomErasing(double probability = 0.5, double minScale = 0.02, double maxScale = 0.33, double minRatio = 0.3, double maxRatio = 3.3, float value = 0f)
    {
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "A probability must lie in [0, 1].");
        }

        if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minScale), $"The scale range must satisfy 0 < min <= max <= 1; got {minScale}..{maxScale}.");
        }

        if (!(minRatio > 0 && minRatio <= maxRatio && double.IsFinite(maxRatio)))
        {
            throw new ArgumentOutOfRangeException(nameof(minRatio), $"The ratio range must satisfy 0 < min <= max; got {minRatio}..{maxRatio}.");
        }

        Probability = probability;
        MinScale = minScale;
        MaxScale = maxScale;
        MinRatio = minRatio;
        MaxRatio = maxRatio;
        Value = value;
    }

    /// <summary>The probability that an image gets a box.</summary>
    public double Probability { get; }

    /// <summary>The smallest box area, as a fraction of the image.</summary>
    public double MinScale { get; }

    /// <summary>The largest box area, as a fraction of the image.</summary>
    public double MaxScale { get; }

    /// <summary>The smallest aspect ratio (height / width).</summary>
    public double MinRatio { get; }

    /// <summary>The largest aspect ratio (height / width).</summary>
    public double MaxRatio { get; }

    /// <summary>The value written into the box, on the scale of the transform's input.</summary>
    public float Value { get; }

    /// <summary>
    /// Draws the box of each of <paramref name="batch"/> images of <paramref name="height"/> x <paramref name="width"/>,
    /// image after image: whether to erase, then for each attempt area fraction, log-ratio, and when it fits, top and left.
    /// </summary>
    public IReadOnlyList<ErasedBox> Sample(AugmentationRandom random, int batch, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(random);
        var boxes = new ErasedBox[batch];
        double area = (double)height * width;
        double logMin = Math.Log(MinRatio), logMax = Math.Log(MaxRatio);
        for (int i = 0; i < batch; i++)
        {
            if (!random.NextBool(Probability))
            {
                continue;
            }

            for (int attempt = 0; attempt < Attempts; attempt++)
            {
                double target = area * random.NextDouble(MinScale, MaxScale);
                double ratio = Math.Exp(random.NextDouble(logMin, logMax));
                int h = (int)Math.Round(Math.Sqrt(target * ratio));
                int w = (int)Math.Round(Math.Sqrt(target / ratio));
                if (h > 0 && w > 0 && h < height && w < width)
                {
                    boxes[i] = new ErasedBox(random.NextInt(0, height - h + 1), random.NextInt(0, width - w + 1), h, w);
                    break;
                }
            }
        }

        return boxes;
    }

    /// <summary>Sets each image's box to <see cref="Value"/> in every channel.</summary>
    /// <exception cref="ArgumentException">There is not one box per image, or a box leaves the image.</exception>
    public Tensor Apply(Tensor images, IReadOnlyList<ErasedBox> boxes)
    {
        RequireBatch(images);
        ArgumentNullException.ThrowIfNull(boxes);
        long batch = images.shape[0], height = images.shape[2], width = images.shape[3];
        if (boxes.Count != batch || boxes.Any(b => b.Top < 0 || b.Left < 0 || b.Height < 0 || b.Width < 0 || b.Top + b.Height > height || b.Left + b.Width > width))
        {
            throw new ArgumentException($"Need {batch} boxes inside {height}x{width} images.", nameof(boxes));
        }

        using DisposeScope scope = NewDisposeScope();
        Device device = images.device;
        // An empty box is the range [0, 0): no row or column matches it.
        Tensor top = tensor(boxes.Select(b => (long)(b.IsEmpty ? 0 : b.Top)).ToArray(), device: device).view(batch, 1);
        Tensor bottom = tensor(boxes.Select(b => (long)(b.IsEmpty ? 0 : b.Top + b.Height)).ToArray(), device: device).view(batch, 1);
        Tensor left = tensor(boxes.Select(b => (long)(b.IsEmpty ? 0 : b.Left)).ToArray(), device: device).view(batch, 1);
        Tensor right = tensor(boxes.Select(b => (long)(b.IsEmpty ? 0 : b.Left + b.Width)).ToArray(), device: device).view(batch, 1);
        Tensor rows = arange(height, ScalarType.Int64, device).view(1, height);
        Tensor columns = arange(width, ScalarType.Int64, device).view(1, width);
        Tensor inRows = rows.ge(top).logical_and_(rows.lt(bottom)).view(batch, 1, height, 1);
        Tensor inColumns = columns.ge(left).logical_and_(columns.lt(right)).view(batch, 1, 1, width);
        return images.masked_fill(inRows.logical_and(inColumns), Value).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override Tensor ApplyToBytes(Tensor images, AugmentationRandom random) => ApplyChainToBytes([this], images, random);

    /// <inheritdoc/>
    public override Tensor Apply(Tensor images, AugmentationRandom random)
    {
        RequireBatch(images);
        return Apply(images, Sample(random, (int)images.shape[0], (int)images.shape[2], (int)images.shape[3]));
    }
}
