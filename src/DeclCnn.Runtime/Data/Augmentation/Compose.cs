using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data.Augmentation;

/// <summary>Applies transforms one after the other, each drawing its parameters from the same random sequence in turn.</summary>
public sealed class Compose : BatchTransform
{
    /// <summary>Composes <paramref name="transforms"/>, applied in the order given.</summary>
    /// <exception cref="ArgumentException">A transform is null.</exception>
    public Compose(params BatchTransform[] transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        if (transforms.Any(t => t is null))
        {
            throw new ArgumentException("A composed transform is null.", nameof(transforms));
        }

        Transforms = transforms.ToArray();
    }

    /// <summary>The transforms, in order.</summary>
    public IReadOnlyList<BatchTransform> Transforms { get; }

    /// <inheritdoc/>
    public override Tensor Apply(Tensor images, AugmentationRandom random)
    {
        RequireBatch(images);
        ArgumentNullException.ThrowIfNull(random);
        Tensor current = images.alias();
        foreach (BatchTransform transform in Transforms)
        {
            current = transform.Apply(current, random);
        }

        return current;
    }

    /// <inheritdoc/>
    public override Tensor ApplyToBytes(Tensor images, AugmentationRandom random) => ApplyChainToBytes(Transforms, images, random);
}
