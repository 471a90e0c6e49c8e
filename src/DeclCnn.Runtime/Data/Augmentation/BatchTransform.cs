using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data.Augmentation;

/// <summary>
/// A transform of a whole batch of images, run as tensor operations on the batch's device. Each image gets its
/// own random parameters, drawn from the <see cref="AugmentationRandom"/> passed in; the same random sequence
/// always gives the same result.
/// </summary>
/// <remarks>
/// Input and output are float32 (B, C, H, W). <see cref="BatchLoader"/> feeds pixels scaled to [0, 1] (byte / 255),
/// so transforms before <see cref="Normalize"/> see that scale and transforms after it see normalized values.
/// Apply returns a new tensor and leaves its input untouched; temporaries belong to the caller's dispose scope.
/// </remarks>
public abstract class BatchTransform
{
    /// <summary>Transforms <paramref name="images"/>, drawing each image's parameters from <paramref name="random"/>.</summary>
    /// <param name="images">float32 (B, C, H, W).</param>
    /// <param name="random">The source of the parameters; transforms that draw nothing leave it untouched.</param>
    /// <returns>A new float32 tensor on the same device.</returns>
    public abstract Tensor Apply(Tensor images, AugmentationRandom random);

    /// <summary>
    /// Transforms a batch of raw bytes, as a dataset stores them: the result is exactly
    /// <c>Apply(images.to(float32) / 255, random)</c>, drawing the same parameters. <see cref="BatchLoader"/> calls this.
    /// </summary>
    /// <remarks>
    /// The default converts, then calls <see cref="Apply(Tensor, AugmentationRandom)"/>. The built-in crop, flip,
    /// erasing and normalization (alone or leading a <see cref="Compose"/>) override it to work on the bytes: on the
    /// CPU every output pixel is written once, by a table lookup through one fused crop-and-flip index; on other
    /// devices the bytes are cropped and flipped by one <c>gather</c> before conversion.
    /// </remarks>
    /// <param name="images">uint8 (B, C, H, W).</param>
    /// <param name="random">The source of the parameters.</param>
    /// <returns>A new float32 tensor on the same device.</returns>
    public virtual Tensor ApplyToBytes(Tensor images, AugmentationRandom random)
    {
        RequireByteBatch(images);
        return Apply(images.to_type(ScalarType.Float32).div_(255f), random);
    }

    /// <summary>Throws unless <paramref name="images"/> is a uint8 batch (B, C, H, W).</summary>
    /// <exception cref="System.ArgumentException">It is not.</exception>
    protected static void RequireByteBatch(Tensor images)
    {
        System.ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.dtype != ScalarType.Byte)
        {
            throw new System.ArgumentException(
                $"Expected a uint8 batch (B, C, H, W); got {images.dtype} of shape [{string.Join(", ", images.shape)}].", nameof(images));
        }
    }

    /// <summary>
    /// <see cref="ApplyToBytes"/> through the fused byte pipeline for the chain <paramref name="transforms"/>: its
    /// fusable prefix runs on the bytes, the rest with <see cref="Apply(Tensor, AugmentationRandom)"/>.
    /// </summary>
    private protected static Tensor ApplyChainToBytes(System.Collections.Generic.IReadOnlyList<BatchTransform> transforms, Tensor images, AugmentationRandom random)
    {
        RequireByteBatch(images);
        System.ArgumentNullException.ThrowIfNull(random);
        Tensor current = FusedBytePipeline.TryApplyPrefix(transforms, images, random, out int consumed)
            ?? images.to_type(ScalarType.Float32).div_(255f);
        for (int i = consumed; i < transforms.Count; i++)
        {
            current = transforms[i].Apply(current, random);
        }

        return current;
    }

    /// <summary>Throws unless <paramref name="images"/> is a float32 batch (B, C, H, W).</summary>
    /// <exception cref="System.ArgumentException">It is not.</exception>
    protected static void RequireBatch(Tensor images)
    {
        System.ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.dtype != ScalarType.Float32)
        {
            throw new System.ArgumentException(
                $"Expected a float32 batch (B, C, H, W); got {images.dtype} of shape [{string.Join(", ", images.shape)}].", nameof(images));
        }
    }
}
