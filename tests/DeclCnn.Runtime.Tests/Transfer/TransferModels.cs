namespace DeclCnn.Runtime.Tests.Transfer;

/// <summary>
/// A small source network with batch norms in the layers a transfer reuses. No pooling: on two cores, libtorch's
/// two-thread pooling backward on maps this small gave NaN gradients in about one run of three (seen with and without
/// batch norm, never with one thread), which has nothing to do with transfer learning.
/// </summary>
[Input(1, 8, 8)]
[Conv(4, 3, Padding = 1, Bias = false), BatchNorm, ReLU]
[Conv(8, 3, Stride = 2, Padding = 1), BatchNorm, ReLU]
[Flatten, Dense(2)]
public partial class BarSource;

/// <summary><see cref="BarSource"/>'s layers through <c>flatten</c>, with a new two-layer head.</summary>
[Input(1, 8, 8)]
[Backbone<BarSource>("flatten")]
[Dense(8), ReLU, Dense(2)]
public partial class BarTransfer;
