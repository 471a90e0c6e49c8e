namespace DeclCnn.Generators.Model;

/// <summary>A height/width pair, as PyTorch's 2-D layers take them.</summary>
internal readonly record struct Pair(int Height, int Width)
{
    public static Pair Square(int value) => new(value, value);

    public bool IsSquare => Height == Width;

    public override string ToString() => IsSquare ? $"{Height}" : $"({Height}, {Width})";
}

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
    public static PaddingSpec None => new(PaddingMode.Explicit, Pair.Square(0));
}

/// <summary>One declared layer, as plain values; each kind has its own record.</summary>
internal abstract record LayerSpec
{
    /// <summary>The user's <c>Name = "..."</c>, or null for the default name.</summary>
    public string? Name { get; init; }

    /// <summary>The layer's own weight initialization (convolutions and dense layers), or <see cref="WeightInit.Default"/>.</summary>
    public WeightInit Init { get; init; }
}

/// <summary><c>[Conv]</c>: <c>torch.nn.Conv2d</c>.</summary>
internal sealed record ConvSpec(int OutChannels, Pair Kernel, Pair Stride, PaddingSpec Padding, Pair Dilation, int Groups, bool Bias) : LayerSpec;

/// <summary>Which pooling a <see cref="PoolSpec"/> is.</summary>
internal enum PoolKind
{
    /// <summary><c>[MaxPool]</c>.</summary>
    Max,

    /// <summary><c>[AvgPool]</c>.</summary>
    Avg,
}

/// <summary>
/// <c>[MaxPool]</c> and <c>[AvgPool]</c>. <see cref="StrideIsDefault"/> records that the stride
/// was left to default to the kernel, so the emitted code leaves it out too.
/// </summary>
internal sealed record PoolSpec(PoolKind Kind, Pair Kernel, Pair Stride, bool StrideIsDefault, Pair Padding, Pair Dilation, bool CeilMode, bool CountIncludePad) : LayerSpec;

/// <summary><c>[AdaptiveAvgPool]</c>, and <c>[GlobalAvgPool]</c> as a 1x1 output.</summary>
internal sealed record AdaptiveAvgPoolSpec(Pair Output, bool IsGlobal) : LayerSpec;

/// <summary><c>[Flatten]</c>.</summary>
internal sealed record FlattenSpec : LayerSpec;

/// <summary><c>[Dense]</c>: <c>torch.nn.Linear</c>; <see cref="InFeatures"/> is 0 when inferred.</summary>
internal sealed record DenseSpec(int OutFeatures, int InFeatures, bool Bias) : LayerSpec;

/// <summary><c>[BatchNorm]</c>: 2-D or 1-D by the inferred rank.</summary>
internal sealed record BatchNormSpec(double Eps, double Momentum) : LayerSpec;

/// <summary><c>[Dropout]</c>.</summary>
internal sealed record DropoutSpec(double P) : LayerSpec;

/// <summary>The element-wise and softmax activations.</summary>
internal enum ActivationKind
{
    ReLU,
    LeakyReLU,
    Sigmoid,
    Tanh,
    SiLU,
    GELU,
    Softmax,
    LogSoftmax,
}

/// <summary>
/// An activation. <see cref="NegativeSlope"/> applies to LeakyReLU and <see cref="Dim"/> to
/// Softmax and LogSoftmax; both are left at their defaults for the other kinds.
/// </summary>
internal sealed record ActivationSpec(ActivationKind Kind, double NegativeSlope = 0.01, int Dim = 1) : LayerSpec;

/// <summary><c>[Upsample]</c> by a scale factor.</summary>
internal sealed record UpsampleSpec(double ScaleFactor, string Mode) : LayerSpec;

/// <summary><c>[LocalResponseNorm]</c>.</summary>
internal sealed record LocalResponseNormSpec(int Size, double Alpha, double Beta, double K) : LayerSpec;

/// <summary><c>[Stage&lt;TBlock&gt;]</c>: <see cref="Blocks"/> uses of a block, the first with <see cref="Stride"/>.</summary>
internal sealed record StageSpec(string BlockMetadataName, string BlockName, int Channels, int Blocks, int Stride) : LayerSpec;

/// <summary>How a block joins its body with its input.</summary>
internal enum JoinKind
{
    /// <summary><c>[Add]</c>: residual addition.</summary>
    Add,

    /// <summary><c>[Concat]</c>: channel concatenation.</summary>
    Concat,
}

/// <summary>The shortcut of an <c>[Add]</c>; mirrors <c>DeclCnn.Shortcut</c>.</summary>
internal enum ShortcutMode
{
    Auto,
    Identity,
    Projection,
}

/// <summary>
/// <c>[Add]</c> or <c>[Concat]</c> in a block; <see cref="ProjectionBlock"/> is the fully qualified
/// name of a block that replaces the 1x1 projection of an <c>[Add]</c>.
/// </summary>
internal sealed record JoinSpec(JoinKind Kind, ShortcutMode Shortcut, string? ProjectionBlock = null) : LayerSpec;
