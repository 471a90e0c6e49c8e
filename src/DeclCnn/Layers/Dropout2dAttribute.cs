using System;

namespace DeclCnn;

/// <summary>
/// Channel dropout (<c>torch.nn.Dropout2d</c>): during training, zeroes whole channels of a feature
/// map with probability <c>p</c> and scales the rest by <c>1/(1-p)</c>; the identity in evaluation mode.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Dropout2dAttribute : LayerAttribute
{
    /// <summary>Channel dropout with probability 0.5.</summary>
    public Dropout2dAttribute()
        : this(0.5)
    {
    }

    /// <summary>Channel dropout with the given probability.</summary>
    /// <param name="p">Probability of zeroing a channel, in [0, 1).</param>
    public Dropout2dAttribute(double p) => P = p;

    /// <summary>Probability of zeroing a channel.</summary>
    public double P { get; }
}
