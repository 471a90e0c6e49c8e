namespace DeclCnn.Runtime.Tests.Interchange;

/// <summary>
/// ResNet's basic block as samples/DeclCnn.Samples declares it (blocks are read from the model's own assembly), with
/// torchvision's names: conv1, bn1, conv2, bn2 and the downsample shortcut.
/// </summary>
[Block]
[Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1, Bias = false), BatchNorm, ReLU]
[Conv(Block.Channels, 3, Padding = 1, Bias = false), BatchNorm]
[Add, ReLU]
internal sealed partial class TinyBasicBlock;
