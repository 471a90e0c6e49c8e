namespace DeclCnn.Samples;

/// <summary>
/// A small residual network for 1x28x28 images: a 16-channel stem, then one basic block per stage at 16, 32 and
/// 64 channels (28 -> 14 -> 7, the strided blocks with 1x1 projection shortcuts), global average pooling and one
/// dense layer. The residual entry of the architecture comparison (docs/experiments.md).
/// </summary>
[Input(1, 28, 28)]
[WeightInit(Init.KaimingNormal, Mode = FanMode.FanOut)]
[Conv(16, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
[Stage<BasicBlock>(16)]
[Stage<BasicBlock>(32, Stride = 2)]
[Stage<BasicBlock>(64, Stride = 2)]
[GlobalAvgPool, Flatten, Dense(10)]
public partial class FashionMnistResNet;
