namespace DeclCnn.Runtime.Data;

/// <summary>
/// Per-dataset pixel statistics: a batch is fed to the model as <c>(x / 255 - Mean) / Std</c>, where
/// <c>x</c> is the stored byte.
/// </summary>
/// <param name="Mean">Mean of the training pixels scaled to [0, 1].</param>
/// <param name="Std">Standard deviation of the training pixels scaled to [0, 1]; must be positive.</param>
public readonly record struct Normalization(float Mean, float Std)
{
    /// <summary>Only scales bytes to [0, 1].</summary>
    public static Normalization None { get; } = new(0f, 1f);
}
