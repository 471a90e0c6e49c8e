using System.Collections.Generic;

namespace DeclCnn.Runtime.Inference;

/// <summary>The classes a classifier ranks highest for one image, most probable first.</summary>
/// <param name="Top">The top-k classes, most probable first (ties in class order).</param>
public sealed record Prediction(IReadOnlyList<ClassScore> Top)
{
    /// <summary>The most probable class.</summary>
    public ClassScore Best => Top[0];

    /// <summary>E.g. <c>Sneaker 97.31 %, Sandal 2.02 %, Ankle boot 0.51 %</c>.</summary>
    public override string ToString() => string.Join(", ", Top);
}
