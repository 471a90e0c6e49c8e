namespace DeclCnn.Samples;

/// <summary>
/// ResNet's basic block (ResNet-18/34): two 3x3 convolutions with batch norm, the first carrying
/// the stride; the sum with the shortcut goes through ReLU. Output channels: <c>Block.Channels</c>.
/// Convolutions are initialized as torchvision's ResNets do (Kaiming normal, fan-out, for ReLU).
/// </summary>
[Block]
[WeightInit(Init.KaimingNormal, Mode = FanMode.FanOut)]
[Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1, Bias = false), BatchNorm, ReLU]
[Conv(Block.Channels, 3, Padding = 1, Bias = false), BatchNorm]
[Add, ReLU]
public partial class BasicBlock;

/// <summary>
/// ResNet's bottleneck block (ResNet-50 and deeper, torchvision's v1.5 with the stride on the 3x3
/// convolution): 1x1 down to <c>Block.Channels</c>, 3x3, 1x1 up to four times as many.
/// </summary>
[Block]
[WeightInit(Init.KaimingNormal, Mode = FanMode.FanOut)]
[Conv(Block.Channels, 1, Bias = false), BatchNorm, ReLU]
[Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1, Bias = false), BatchNorm, ReLU]
[Conv(Block.Channels * 4, 1, Bias = false), BatchNorm]
[Add, ReLU]
public partial class Bottleneck;
