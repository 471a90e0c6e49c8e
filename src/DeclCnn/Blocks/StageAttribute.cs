using System;

namespace DeclCnn;

/// <summary>
/// A stage of <see cref="Blocks"/> copies of a <see cref="BlockAttribute"/> block, as ResNet's
/// <c>_make_layer</c> builds them: the first block gets <see cref="Stride"/> and the stage's input
/// channels, the others stride 1 and the first block's output. The stage is a
/// <c>torch.nn.Sequential</c> named <c>layer1</c>, <c>layer2</c>, ..., with the blocks as <c>"0"</c>,
/// <c>"1"</c>, ..., so its state-dict keys read <c>layer2.0.conv1.weight</c>.
/// </summary>
/// <typeparam name="TBlock">The block, a partial class marked <see cref="BlockAttribute"/>.</typeparam>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class StageAttribute<TBlock> : LayerAttribute
{
    /// <summary>A stage of blocks.</summary>
    /// <param name="channels">The block's <see cref="Block.Channels"/> in this stage.</param>
    public StageAttribute(int channels) => Channels = channels;

    /// <summary>The block's <see cref="Block.Channels"/> in this stage.</summary>
    public int Channels { get; }

    /// <summary>How many blocks the stage repeats. Default: 1.</summary>
    public int Blocks { get; set; } = 1;

    /// <summary>The stride of the stage's first block; the others use 1. Default: 1.</summary>
    public int Stride { get; set; } = 1;
}
