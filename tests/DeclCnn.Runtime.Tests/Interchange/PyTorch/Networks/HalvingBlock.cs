namespace DeclCnn.Runtime.Tests.Interchange.PyTorch.Networks;

/// <summary>
/// A bottleneck whose width is computed by division (<c>Block.Channels / 2</c>, Python's <c>//</c>), with group norm
/// without affine parameters, a per-channel PReLU after the join, and ZeroInitLastBatchNorm on a body with a batch norm.
/// </summary>
[Block]
[WeightInit(Init.XavierNormal, ZeroInitLastBatchNorm = true)]
[Conv(Block.Channels / 2, 1, Bias = false), GroupNorm(2, Affine = false), ReLU]
[Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1, Bias = false), BatchNorm]
[Add, PReLU(PerChannel = true)]
internal sealed partial class HalvingBlock;

/// <summary>Uses <see cref="HalvingBlock"/> with a projection in the second stage.</summary>
[Input(3, 12, 12)]
[Conv(8, 3, Padding = 1), Stage<HalvingBlock>(8), Stage<HalvingBlock>(12, Blocks = 2, Stride = 2), GlobalMaxPool, Flatten, Dense(4)]
internal sealed partial class HalvingBlockNetwork;
