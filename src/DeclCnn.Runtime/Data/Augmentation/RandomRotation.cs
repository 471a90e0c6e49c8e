using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data.Augmentation;

/// <summary>
/// Rotates each image about its centre by an angle drawn uniformly from [-<see cref="MaxDegrees"/>,
/// <see cref="MaxDegrees"/>] (positive: counter-clockwise as displayed), with bilinear interpolation
/// (<c>affine_grid</c> + <c>grid_sample</c>, <c>align_corners = false</c>). Pixels that come from outside the image
/// get <see cref="Fill"/>.
/// </summary>
public sealed class RandomRotation : BatchTransform
{
    /// <summary>Rotates by up to <paramref name="maxDegrees"/> either way, filling uncovered pixels with <paramref name="fill"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The angle is negative, over 180 or not finite.</exception>
    public RandomRotation(double maxDegrees, float fill = 0f)
    {
        if (!(maxDegrees >= 0 && maxDegrees <= 180))
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegrees), maxDegrees, "The maximum angle must lie in [0, 180] degrees.");
        }

        MaxDegrees = maxDegrees;
        Fill = fill;
    }

    /// <summary>The largest angle, in degrees, either way.</summary>
    public double MaxDegrees { get; }

    /// <summary>The value of pixels rotated in from outside the image.</summary>
    public float Fill { get; }

    /// <summary>Draws one angle in degrees per image.</summary>
    public IReadOnlyList<double> Sample(AugmentationRandom random, int batch)
    {
        ArgumentNullException.ThrowIfNull(random);
        var degrees = new double[batch];
        for (int i = 0; i < batch; i++)
        {
            degrees[i] = random.NextDouble(-MaxDegrees, MaxDegrees);
        }

        return degrees;
    }

    /// <summary>Rotates each image by its angle in <paramref name="degrees"/>.</summary>
    /// <exception cref="ArgumentException">There is not one angle per image.</exception>
    public Tensor Apply(Tensor images, IReadOnlyList<double> degrees)
    {
        RequireBatch(images);
        ArgumentNullException.ThrowIfNull(degrees);
        long batch = images.shape[0];
        if (degrees.Count != batch)
        {
            throw new ArgumentException($"Need one angle per image: {batch}, got {degrees.Count}.", nameof(degrees));
        }

        double height = images.shape[2], width = images.shape[3];
        // Output pixel (x, y), relative to the centre with y down, samples the input at (x cos - y sin, x sin + y cos);
        // affine_grid works in coordinates normalized by half the width and half the height, hence the aspect factors.
        var theta = new float[batch * 6];
        for (int i = 0; i < batch; i++)
        {
            double radians = degrees[i] * Math.PI / 180;
            (double sin, double cos) = Math.SinCos(radians);
            theta[(i * 6) + 0] = (float)cos;
            theta[(i * 6) + 1] = (float)(-sin * height / width);
            theta[(i * 6) + 3] = (float)(sin * width / height);
            theta[(i * 6) + 4] = (float)cos;
        }

        using DisposeScope scope = NewDisposeScope();
        Tensor matrices = tensor(theta, [batch, 2, 3], device: images.device);
        Tensor grid = nn.functional.affine_grid(matrices, images.shape, align_corners: false);
        Tensor rotated = nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
        if (Fill != 0)
        {
            // grid_sample is linear in its input: sampling a ones image gives each output pixel's share that
            // came from inside the image, and the rest of it gets the fill value.
            Tensor inside = nn.functional.grid_sample(ones([batch, 1, images.shape[2], images.shape[3]], device: images.device), grid,
                GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
            rotated = rotated.add(inside.neg().add_(1).mul_(Fill));
        }

        return rotated.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override Tensor Apply(Tensor images, AugmentationRandom random)
    {
        RequireBatch(images);
        return Apply(images, Sample(random, (int)images.shape[0]));
    }
}
