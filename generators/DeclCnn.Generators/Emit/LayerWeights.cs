namespace DeclCnn.Generators.Emit;

/// <summary>Which of the class's <c>[WeightInit]</c> kinds initializes a layer's weight.</summary>
internal enum WeightRole
{
    /// <summary>No weight that <c>[WeightInit]</c> touches.</summary>
    None,

    /// <summary>A convolution's weight: <c>WeightInitAttribute.Convolutions</c>.</summary>
    Convolution,

    /// <summary>A dense layer's weight: <c>WeightInitAttribute.Dense</c>.</summary>
    Dense,

    /// <summary>
    /// A normalization's affine weight and bias, which start at one and zero as PyTorch's do, whatever is declared:
    /// TorchSharp's <c>GroupNorm</c> leaves them uninitialized (<c>torch.empty</c>), so the generated code fills them.
    /// </summary>
    Normalization,
}

/// <summary>A layer's part in weight initialization: the role of its weight, and whether it has a bias to zero.</summary>
internal readonly record struct LayerWeights(WeightRole Role, bool HasBias)
{
    public static LayerWeights None => new(WeightRole.None, false);
}
