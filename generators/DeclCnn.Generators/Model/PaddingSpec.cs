namespace DeclCnn.Generators.Model;

/// <summary>How a convolution pads its input.</summary>
internal enum PaddingMode
{
    /// <summary>Explicit zero padding per side, given by <see cref="PaddingSpec.Amount"/>.</summary>
    Explicit,

    /// <summary>PyTorch's <c>padding="same"</c>: output size equals input size.</summary>
    Same,

    /// <summary>PyTorch's <c>padding="valid"</c>: no padding.</summary>
    Valid,
}

/// <summary>A convolution's padding: a mode, and the per-side amount for explicit padding.</summary>
internal readonly record struct PaddingSpec(PaddingMode Mode, Pair Amount)
{
    /// <summary>The padding strings a convolution accepts, as PyTorch spells them.</summary>
    public static readonly string[] Modes = { "same", "valid" };

    public static PaddingSpec None => new(PaddingMode.Explicit, Pair.Square(0));
}
