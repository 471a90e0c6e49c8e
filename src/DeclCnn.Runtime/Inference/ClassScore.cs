namespace DeclCnn.Runtime.Inference;

/// <summary>One class of a prediction.</summary>
/// <param name="Index">The class's output index (its label).</param>
/// <param name="ClassName">The class's name.</param>
/// <param name="Probability">The softmax probability, in [0, 1].</param>
public sealed record ClassScore(int Index, string ClassName, float Probability)
{
    /// <summary>E.g. <c>Sneaker 97.31 %</c>.</summary>
    public override string ToString() => $"{ClassName} {Probability.ToString("P2", System.Globalization.CultureInfo.InvariantCulture)}";
}
