namespace DeclCnn.Runtime.Tests.Interchange.Onnx.Networks;

/// <summary>
/// A DenseNet-style block for the export checks: group norm, a per-channel PReLU, a 3x3 convolution and channel
/// dropout, concatenated with the block's input.
/// </summary>
[Block]
[GroupNorm(2), PReLU(PerChannel = true), Conv(Block.Channels, 3, Padding = 1, Bias = false), Dropout2d]
[Concat]
internal sealed partial class GrowthExportBlock;
