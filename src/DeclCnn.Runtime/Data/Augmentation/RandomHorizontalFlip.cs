using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data.Augmentation;

/// <summary>Mirrors each image left to right with probability <see cref="Probability"/>, decided per image.</summary>
public sealed class RandomHorizontalFlip : BatchTransform
{
    /// <summary>Flips each image with probability <paramref name="probability"/> (default one half).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The probability is outside [0, 1].</exception>
    public RandomHorizontalFlip(double probability = 0.5)
    {
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "A probability must lie in [0, 1].");
        }

        Probability = probability;
    }

    /// <summary>The probability that an image is flipped.</summary>
    public double Probability { get; }

    /// <summary>Decides, image after image, which of <paramref name="batch"/> images are flipped.</summary>
    public IReadOnlyList<bool> Sample(AugmentationRandom random, int batch)
    {
        ArgumentNullException.ThrowIfNull(random);
        var flips = new bool[batch];
        for (int i = 0; i < batch; i++)
        {
            flips[i] = random.NextBool(Probability);
        }

        return flips;
    }

    /// <summary>Flips the images whose entry of <paramref name="flips"/> is true.</summary>
    /// <exception cref="ArgumentException">There is not one entry per image.</exception>
    public static Tensor Apply(Tensor images, IReadOnlyList<bool> flips)
    {
        RequireBatch(images);
        ArgumentNullException.ThrowIfNull(flips);
        if (flips.Count != images.shape[0])
        {
            throw new ArgumentException($"Need one flip decision per image: {images.shape[0]}, got {flips.Count}.", nameof(flips));
        }

        using Tensor mask = tensor(flips.ToArray(), device: images.device).view(-1, 1, 1, 1);
        using Tensor flipped = images.flip(3);
        return where(mask, flipped, images);
    }

    /// <inheritdoc/>
    public override Tensor ApplyToBytes(Tensor images, AugmentationRandom random) => ApplyChainToBytes([this], images, random);

    /// <inheritdoc/>
    public override Tensor Apply(Tensor images, AugmentationRandom random)
    {
        RequireBatch(images);
        return Apply(images, Sample(random, (int)images.shape[0]));
    }
}
