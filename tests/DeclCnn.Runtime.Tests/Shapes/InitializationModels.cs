namespace DeclCnn.Runtime.Tests.Shapes;

// Networks whose declared initialization InitializationTests checks statistically.

/// <summary>Kaiming normal (fan-out) convolutions, Xavier uniform dense layers, one layer's own override.</summary>
[Input(16, 8, 8)]
[WeightInit(Init.KaimingNormal, Mode = FanMode.FanOut, Dense = Init.XavierUniform)]
[Conv(256, 3, Padding = 1), ReLU, Conv(128, 3, Padding = 1, Init = Init.KaimingUniform), Flatten]
[Dense(512), ReLU, Dense(64, Init = Init.XavierNormal)]
internal sealed partial class InitializedModel;

/// <summary>Normal with a given std, and constants.</summary>
[Input(8, 4, 4)]
[WeightInit(Init.Normal, Std = 0.02, Dense = Init.Constant, Value = 0.5)]
[Conv(64, 3, Padding = 1), Flatten, Dense(3)]
internal sealed partial class NormalAndConstantModel;

/// <summary>A residual block that starts as the identity: its last batch norm's weight is zero.</summary>
[Block]
[WeightInit(Init.KaimingNormal, Mode = FanMode.FanOut, ZeroInitLastBatchNorm = true)]
[Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1, Bias = false), BatchNorm, ReLU]
[Conv(Block.Channels, 3, Padding = 1, Bias = false), BatchNorm]
[Add, ReLU]
internal sealed partial class ZeroInitBlock;

/// <summary>Uses the zero-initialized block, with a projection in the second stage.</summary>
[Input(8, 8, 8)]
[Stage<ZeroInitBlock>(8), Stage<ZeroInitBlock>(16, Stride = 2)]
internal sealed partial class ZeroInitResidualModel;
