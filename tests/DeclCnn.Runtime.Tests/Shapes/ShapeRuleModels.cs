namespace DeclCnn.Runtime.Tests.Shapes;

// Small networks that exercise the corners of the shape rules; ShapeAgreementTests runs each on
// TorchSharp and requires every shape and parameter count to equal the compile-time trace.

/// <summary>Ceil mode, including a last window that would start in the right padding and is dropped.</summary>
[Input(2, 7, 6)]
[MaxPool(2, CeilMode = true), MaxPool(3, Stride = 2, Padding = 1, CeilMode = true), AvgPool(2, Stride = 1, CeilMode = true)]
[Conv(4, 1), MaxPool(2, Stride = 3, CeilMode = true)]
internal sealed partial class CeilModeModel;

/// <summary>"same" padding with even kernels (the extra row and column go bottom/right) and with dilation.</summary>
[Input(3, 9, 10)]
[Conv(4, 2, Padding = "same"), Conv(5, 4, Padding = "same", Dilation = 2), Conv(6, 2, 3, Padding = "same"), Conv(2, 3, Padding = "valid")]
internal sealed partial class SamePaddingModel;

/// <summary>Rectangular kernels, strides, paddings and dilations.</summary>
[Input(3, 17, 23)]
[Conv(8, 3, 5, Stride = new[] { 1, 2 }, Padding = new[] { 2, 1 }, Dilation = new[] { 2, 1 }), ReLU]
[MaxPool(3, 2, Stride = new[] { 2, 1 }, Padding = new[] { 1, 0 }, Dilation = new[] { 1, 2 })]
[AvgPool(2, 3, Stride = new[] { 1, 2 }, Padding = new[] { 1, 1 }, CountIncludePad = false)]
internal sealed partial class RectangularModel;

/// <summary>Grouped and depthwise convolutions, with and without bias.</summary>
[Input(6, 12, 12)]
[Conv(12, 3, Groups = 3, Padding = 1), Conv(12, 3, Groups = 12, Bias = false), BatchNorm, Conv(4, 1, Groups = 2, Stride = 3)]
internal sealed partial class GroupsModel;

/// <summary>Adaptive and global pooling on sizes that do not divide, flatten, 1-D batch norm and the activations.</summary>
[Input(4, 13, 11)]
[AdaptiveAvgPool(5, 3), LeakyReLU(NegativeSlope = 0.2), SiLU, GELU, GlobalAvgPool, Flatten]
[BatchNorm(Eps = 1e-3, Momentum = 0.01), Dense(7, InFeatures = 4), Sigmoid, Tanh, Dropout(0.25), Dense(3, Bias = false), Softmax, LogSoftmax(Dim = -1)]
internal sealed partial class PoolingAndActivationsModel;

/// <summary>Upsampling by integer and fractional scales, nearest and bilinear, and local response normalization.</summary>
[Input(3, 7, 9)]
[Upsample(2), Upsample(1.5, Mode = "bilinear"), LocalResponseNorm(3, Alpha = 1e-3, Beta = 0.5, K = 2), Upsample(0.4), Softmax(Dim = 2)]
internal sealed partial class UpsampleModel;

/// <summary>A DenseNet-style block: each use concatenates its input with 4 new channels.</summary>
[Block]
[BatchNorm, ReLU, Conv(Block.Channels, 3, Padding = 1, Bias = false)]
[Concat]
internal sealed partial class GrowthBlock;

/// <summary>A projection that is always there, and an identity that is never needed.</summary>
[Block]
[Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1), ReLU]
[Add(Shortcut = Shortcut.Projection)]
internal sealed partial class ProjectedBlock;

/// <summary>Dense connections grow the channels block by block (3 -> 7 -> 11 -> 15); residual stages follow.</summary>
[Input(3, 16, 16)]
[Stage<GrowthBlock>(4, Blocks = 3), Stage<ProjectedBlock>(8, Stride = 2), Stage<ProjectedBlock>(8, Blocks = 2)]
internal sealed partial class DenseBlockModel;

/// <summary>The classic "skip from the input" shortcut: a strided 3x3 convolution with an activation.</summary>
[Block]
[Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1), ReLU]
internal sealed partial class ConvSkip;

/// <summary>A residual block whose shortcut is the <see cref="ConvSkip"/> block instead of the 1x1 projection.</summary>
[Block]
[Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1), BatchNorm, ReLU, Conv(Block.Channels, 3, Padding = 1), BatchNorm]
[Add(Projection = typeof(ConvSkip)), ReLU]
internal sealed partial class SkipFromInputBlock;

/// <summary>Uses the custom shortcut at two widths and strides.</summary>
[Input(3, 20, 20)]
[Stage<SkipFromInputBlock>(8, Stride = 2), Stage<SkipFromInputBlock>(12, Blocks = 2)]
internal sealed partial class SkipFromInputModel;

/// <summary>A block made of stages of other blocks: two basic residual blocks, the first carrying the stride.</summary>
[Block]
[Stage<ProjectedBlock>(Block.Channels, Blocks = 2, Stride = Block.Stride), Conv(Block.Channels * 2, 1), ReLU]
internal sealed partial class NestedBlock;

/// <summary>Nested blocks at two widths: every size inside comes from the outer block's parameters.</summary>
[Input(3, 16, 16)]
[Stage<NestedBlock>(4, Blocks = 2, Stride = 2), Stage<GrowthBlock>(3, Blocks = 2)]
internal sealed partial class NestedBlockModel;
