namespace DeclCnn.Runtime.Tests.Interchange.Onnx.Networks;

/// <summary>
/// The kinds the sample networks do not use, in one network for the export checks: asymmetric zero padding, "same"
/// padding with an even kernel (one more row and column after), ELU, a concatenation block, both upsampling modes, a
/// transposed convolution, adaptive and global max pooling, the identity, the activations without arguments, and a
/// PReLU on features.
/// </summary>
[Input(3, 16, 16)]
[ZeroPad(1, 2, 0, 1), Conv(8, 2, Padding = "same"), ELU(Alpha = 0.5)]
[Stage<GrowthExportBlock>(4, Blocks = 2), MaxPool(2)]
[Upsample(2), ConvTranspose(8, 3, Stride = 2, Padding = 1, OutputPadding = 1), LeakyReLU(NegativeSlope = 0.2)]
[AdaptiveMaxPool(4, 6), Identity, Upsample(2, Mode = "bilinear"), SiLU, Conv(8, 3, Padding = 1), GELU, Tanh]
[GlobalMaxPool, Flatten, PReLU(PerChannel = true), Dense(10), Sigmoid]
internal sealed partial class EveryKindNetwork;
