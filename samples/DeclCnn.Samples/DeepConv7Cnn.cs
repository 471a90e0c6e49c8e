namespace DeclCnn.Samples;

/// <summary>
/// The seed's Fashion-MNIST network of four unpadded 7x7 convolutions (28 -> 22 -> 16 -> 10 -> 4)
/// with a 128-unit hidden layer. 2,635,146 parameters.
/// </summary>
[Input(1, 28, 28)]
[Conv(32, 7), ReLU, Conv(64, 7), ReLU, Conv(128, 7), ReLU, Conv(256, 7), ReLU]
[Flatten, Dense(128), ReLU, Dense(10)]
public partial class DeepConv7Cnn;
