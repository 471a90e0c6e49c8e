namespace DeclCnn.Runtime.Tests.Interchange;

/// <summary>
/// A residual network small enough for a committed fixture: a stem, then one basic block per stage, the second with
/// the strided 1x1 + batch norm shortcut. make_fixtures.py builds the same network from torchvision's BasicBlock.
/// </summary>
[Input(3, 16, 16)]
[Conv(8, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
[Stage<TinyBasicBlock>(8)]
[Stage<TinyBasicBlock>(16, Stride = 2)]
[GlobalAvgPool, Flatten, Dense(10)]
internal sealed partial class TinyResNet;

/// <summary><see cref="TinyResNet"/> with a five-class head: the backbone's weights fit, the head's do not.</summary>
[Input(3, 16, 16)]
[Conv(8, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
[Stage<TinyBasicBlock>(8)]
[Stage<TinyBasicBlock>(16, Stride = 2)]
[GlobalAvgPool, Flatten, Dense(5)]
internal sealed partial class TinyResNetFiveClasses;
