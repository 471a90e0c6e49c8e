using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data;

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
